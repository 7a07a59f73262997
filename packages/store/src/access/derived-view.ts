import type { LinkField, PublishedForm, RollupField } from '@tessera/core'
import { formulaOrder, rootKey } from '@tessera/forms'
import { logicVars } from '@tessera/logic'
import type { RoleGrants } from './role-grants.js'

/** A rollup read over the reader's own rows of the other form instead of from its column. */
export interface LiveRollup {
  field: RollupField
  child: PublishedForm
  link: LinkField
}

/**
 * How one reader sees a form's stored derived values. A rollup's column
 * sums every linked record, and a formula's column was computed from such
 * sums; shown as stored to a reader who may not read all of those records,
 * they would tell totals over rows the reader cannot see.
 *
 * - `hidden`: fields that read as empty: those the reader's roles hide, a
 *   rollup over a field hidden on the other form (or over a form the
 *   reader may not read at all), and formulas reading any of them or a
 *   live rollup;
 * - `live`: rollups recomputed from the rows of the other form the reader
 *   may read;
 * - `storedLookups`: lookups whose stored copy (in an audit row's before
 *   or after) could show a value out of the reader's reach: the linked
 *   field is hidden from them or is a rollup they see recomputed, or the
 *   linked record may be one they cannot read. Lists and records read
 *   lookups live through the linked form's rules instead, so only stored
 *   copies need this.
 *
 * A rollup stays as stored when the reader reads every row it sums: all
 * rows of the other form, or a `via` rule through the rollup's own link
 * (those rows are readable exactly when this record is).
 */
export interface DerivedView {
  hidden: ReadonlySet<string>
  live: ReadonlyMap<string, LiveRollup>
  storedLookups: ReadonlySet<string>
}

export interface DerivedViewContext {
  grants: RoleGrants
  /** A published form of the app, or undefined when it is not published. */
  form(key: string): PublishedForm | undefined
}

/** Rollups of rollups deeper than this read as hidden (a cycle guard). */
const MAX_DEPTH = 8

export function derivedView(
  context: DerivedViewContext,
  form: PublishedForm,
  depth = 0,
): DerivedView {
  const { grants } = context
  const hidden = new Set<string>()
  for (const [key, rule] of grants.fields(form.key)) if (rule === 'hidden') hidden.add(key)
  const live = new Map<string, LiveRollup>()
  const storedLookups = new Set<string>()
  if (grants.admin) return { hidden, live, storedLookups }

  for (const field of form.definition.fields) {
    if (field.type !== 'rollup' || field.form === undefined || hidden.has(field.key)) continue
    const child = context.form(field.form)
    const link = child?.definition.fields.find((f) => f.key === field.link)
    if (!child || link?.type !== 'link' || depth >= MAX_DEPTH || !grants.can(child.key, 'read')) {
      hidden.add(field.key)
      continue
    }
    const inner = derivedView(context, child, depth + 1)
    if (field.field !== undefined && inner.hidden.has(field.field)) {
      hidden.add(field.key)
      continue
    }
    const innerLive = field.field !== undefined && inner.live.has(field.field)
    if (innerLive || !readsAllLinked(grants, child, field.link!)) {
      live.set(field.key, { field, child, link })
    }
  }

  const order = formulaOrder(form.definition).order ?? []
  for (const formula of order) {
    const reads = logicVars(formula.expression).map(rootKey)
    if (reads.some((key) => hidden.has(key) || live.has(key))) hidden.add(formula.key)
  }

  // Only for the form asked about: the views of other forms read here need no lookups.
  for (const field of depth === 0 ? form.definition.fields : []) {
    if (field.type !== 'lookup') continue
    const link = form.definition.fields.find((f) => f.key === field.link)
    const parent = link?.type === 'link' ? context.form(link.form) : undefined
    const seen = parent && derivedView(context, parent, depth + 1)
    // A rollup the reader sees recomputed over their own rows is stored over all of them.
    if (!parent || !seen || hidden.has(field.link) || !readsLinked(grants, form, parent, field.link) ||
        seen.hidden.has(field.field) || seen.live.has(field.field)) {
      storedLookups.add(field.key)
    }
  }
  return { hidden, live, storedLookups }
}

/**
 * True when the reader may read the record `form`'s `link` points at
 * whenever they may read the record itself: they read every row of the
 * linked form, or reach this form's rows only through that link.
 */
function readsLinked(grants: RoleGrants, form: PublishedForm, parent: PublishedForm, link: string): boolean {
  const parentRows = grants.rows(parent.key, 'read')
  if (parentRows === 'all' && grants.can(parent.key, 'read')) return true
  const rows = grants.rows(form.key, 'read')
  return rows !== 'all' && rows.length > 0 && rows.every((rule) => rule.kind === 'via' && rule.link === link)
}

/**
 * True when the reader may read every record of `child` that points at a
 * record they can read through `link`: with all rows, or with a `via` rule
 * through that same link.
 */
export function readsAllLinked(grants: RoleGrants, child: PublishedForm, link: string): boolean {
  const rows = grants.rows(child.key, 'read')
  if (rows === 'all') return true
  return rows.some((rule) => rule.kind === 'via' && rule.link === link)
}
