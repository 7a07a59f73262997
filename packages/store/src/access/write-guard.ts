import { isDeepStrictEqual } from 'node:util'
import { type RawBuilder, sql } from 'kysely'
import {
  localize,
  TesseraError,
  type Actor,
  type FieldDefinition,
  type FieldIssue,
  type LinesField,
  type FormAction,
  type Locale,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'
import { isComputed } from '@tessera/forms'
import type { Catalog } from '../catalog.js'
import type { Executor } from '../database.js'
import type { RevealTotals } from '../write/constraints.js'
import type { ConstraintEdge } from '../write/form-graph.js'
import { forbidden, type Permissions } from './permissions.js'
import { recordNotFound } from '../write-errors.js'

/** What an actor may find of a form's records (see RecordService.readScope). */
export interface ReadScope {
  /** The rows they may read, on alias `s`; absent for every row. */
  condition?: RawBuilder<boolean>
  hidden: ReadonlySet<string>
}

/**
 * The permission checks of a write, in the order the record service runs
 * them: the action on the form (before anything is read), the record being
 * in reach (before it is changed), the fields written, the records linked
 * to, and the record still in reach once written (inside the transaction,
 * so a refusal rolls the write back).
 */
export class WriteGuard {
  readonly #permissions: Permissions
  readonly #catalog: Catalog

  constructor(permissions: Permissions, catalog: Catalog) {
    this.#permissions = permissions
    this.#catalog = catalog
  }

  async prepare(actor: Actor, form: PublishedForm, action: FormAction, locale: Locale, db?: Executor) {
    if (!(actor.admin && actor.scopes === undefined)) await this.#permissions.prepare(form.app, db)
    this.#permissions.assert(actor, form, action, locale)
  }

  /**
   * A record the actor cannot read does not exist for them (404); one they
   * can read but not `action` is refused (403).
   */
  async assertReach(trx: Executor, actor: Actor, form: PublishedForm, id: number, action: FormAction, locale: Locale) {
    if (!(await this.inScope(trx, actor, form, id, 'read'))) {
      throw recordNotFound(form, id)
    }
    if (action !== 'read' && !(await this.inScope(trx, actor, form, id, action))) {
      throw forbidden(actor, form, action, locale, {
        id,
        reason: { zh: '该记录不在你的权限范围内', en: 'the record is outside the rows you may change' },
      })
    }
  }

  /** After a create or update: the record must still be one the actor may `action`. */
  async assertStillInReach(trx: Executor, actor: Actor, form: PublishedForm, id: number, action: FormAction, locale: Locale) {
    if (await this.inScope(trx, actor, form, id, action)) return
    throw forbidden(actor, form, action, locale, {
      id,
      reason: {
        zh: '保存后的记录将不在你的权限范围内，已撤销',
        en: 'the record would fall outside the rows you may work with, so nothing was saved',
      },
    })
  }

  /**
   * A new record's values without the blanks sent for fields read-only to
   * the actor: such a field is left to its default (a select's default
   * option), as when it is not sent, instead of being emptied by a role
   * that may not change it.
   */
  blanksLeftToDefault(actor: Actor, form: PublishedForm, values: unknown): unknown {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) return values
    const kept: Record<string, unknown> = { ...values }
    for (const [key, rule] of this.#permissions.fieldRules(actor, form)) {
      if (rule === 'readonly' && Object.hasOwn(kept, key) && (kept[key] === null || kept[key] === '')) delete kept[key]
    }
    return kept
  }

  /** Whether the actor may read records of the form at all. */
  mayRead(actor: Actor, form: PublishedForm): boolean {
    return this.#permissions.can(actor, form, 'read')
  }

  /** Whether every record the actor may create of the form is one they may keep (no row rule for creates). */
  createsInReach(actor: Actor, form: PublishedForm): boolean {
    return this.#permissions.rowCondition(actor, form, 'create', 's') === undefined
  }

  /**
   * `t.id in (rows the actor may <action>)` for a list under alias `t`, or
   * undefined when the action reaches every row. The rule runs on the raw
   * table, where hidden fields still hold their values.
   */
  listCondition(actor: Actor, form: PublishedForm, action: FormAction) {
    const condition = this.#permissions.rowCondition(actor, form, action, 's')
    if (condition === undefined) return undefined
    const table = sql.table(`${form.table.schema}.${form.table.name}`)
    return sql<boolean>`t.id in (select s.id from ${table} as s where ${condition})`
  }

  /** The rows the actor may read (on alias `s`) and the fields hidden from them. */
  readScope(actor: Actor, form: PublishedForm): ReadScope {
    const condition = this.#permissions.rowCondition(actor, form, 'read', 's')
    return { ...(condition ? { condition } : {}), hidden: this.#permissions.hiddenFields(actor, form) }
  }

  /** True when no field rule (hidden or read-only) limits what the actor sees of the form. */
  seesEveryField(actor: Actor, form: PublishedForm): boolean {
    return this.#permissions.fieldRules(actor, form).size === 0 && this.#permissions.hiddenFields(actor, form).size === 0
  }

  /** True when no row rule limits what the actor may read of the form. */
  readsEveryRow(actor: Actor, form: PublishedForm): boolean {
    return this.#permissions.rowCondition(actor, form, 'read', 's') === undefined
  }

  async inScope(trx: Executor, actor: Actor, form: PublishedForm, id: number, action: FormAction) {
    const condition = this.#permissions.rowCondition(actor, form, action, 's')
    if (condition === undefined) return true
    const table = sql.table(`${form.table.schema}.${form.table.name}`)
    const { rows } = await sql<{ ok: boolean }>`
      select exists (select 1 from ${table} as s where s.id = ${id} and ${condition}) as ok`
      .execute(trx)
    return rows[0].ok
  }

  /**
   * Hidden fields may not be written at all (even their current value: an
   * accepted guess would reveal it); read-only fields may not change. A
   * read-only field in `hiddenByCondition` (its `visibleWhen` false for the
   * record as written) is the platform's to empty, whatever was sent for it.
   * Line items compare by their input fields: the lines' formulas are
   * computed again on every write, so a form sends them or not.
   */
  assertFields(
    actor: Actor,
    form: PublishedForm,
    values: Record<string, unknown>,
    current: RecordData | undefined,
    locale: Locale,
    hiddenByCondition: ReadonlySet<string> = NONE,
  ) {
    const rules = this.#permissions.fieldRules(actor, form)
    const issues: FieldIssue[] = []
    for (const [key, rule] of rules) {
      if (!Object.hasOwn(values, key)) continue
      const field = form.definition.fields.find((f) => f.key === key)
      const label = field ? localize(field.label, locale) : key
      if (rule === 'hidden') {
        issues.push({ field: key, rule: 'hidden', message: say(locale, `「${label}」对你不可见，不能填写`, `"${label}" is hidden from you and cannot be written`) })
        continue
      }
      if (hiddenByCondition.has(key)) continue
      const before = current ? current.values[key] ?? null : null
      if (!sameValue(field, values[key] ?? null, before)) {
        issues.push({ field: key, rule: 'readonly', message: say(locale, `「${label}」对你只读，不能修改`, `"${label}" is read-only for you`) })
      }
    }
    if (issues.length === 0) return
    const fields = issues.map((i) => i.field).join(', ')
    const labels = issues.map((i) => `「${fieldLabel(form, i.field ?? '')}」`).join('、')
    throw new TesseraError('auth.forbidden', say(locale,
      `你无权写入表单「${localize(form.definition.label, 'zh-CN')}」的字段${labels}`, `you may not write field(s) ${fields} of form "${form.key}"`), {
      details: { actor: actor.id, app: form.app, form: form.key, fields: issues.map((i) => i.field) },
      issues,
    })
  }

  /** Links may point only at records the actor can read (the picker's choice). */
  async assertLinks(trx: Executor, actor: Actor, form: PublishedForm, values: Record<string, unknown>, locale: Locale) {
    const issues: FieldIssue[] = []
    for (const field of form.definition.fields) {
      const id = values[field.key]
      if (field.type !== 'link' || typeof id !== 'number') continue
      // Read through the transaction: on PGlite the outer handle would be refused here.
      const target = await this.#catalog.getForm(form.app, field.form, trx)
      if (await this.inScope(trx, actor, target, id, 'read')) continue
      const label = localize(field.label, locale)
      issues.push({
        field: field.key,
        rule: 'reference',
        message: say(locale, `「${label}」引用的记录 ${id} 不存在`, `"${label}" points at record ${id}, which does not exist`),
        received: id,
      })
    }
    if (issues.length === 0) return
    throw new TesseraError('conflict.reference', issues.map((i) => i.message).join('; '), {
      details: { form: form.key, fields: issues.map((i) => i.field) },
      issues,
    })
  }

  /** The record as the actor may see it: hidden fields and their titles removed. */
  shown(actor: Actor, form: PublishedForm, record: RecordData): RecordData {
    const hidden = this.#permissions.hiddenFields(actor, form)
    if (hidden.size === 0) return record
    const values = { ...record.values }
    const titles = { ...record.titles }
    for (const key of hidden) {
      delete values[key]
      delete titles[key]
    }
    return { ...record, values, titles }
  }

  /**
   * Whether a broken constraint's figures may be told to the actor: only
   * when they read every record the sum counts and neither the summed
   * field nor the limit is hidden from them.
   */
  revealTotals(actor: Actor): RevealTotals {
    const totals = ({ child, parent, constraint, link }: ConstraintEdge) =>
      this.#permissions.readsAllLinked(actor, child, link.key) &&
      !this.#permissions.hiddenFields(actor, child).has(constraint.sum) &&
      !this.#permissions.hiddenFields(actor, parent).has(constraint.max)
    // The records in an agreement's way are named only to a reader of every one of them.
    const linked = (child: PublishedForm, link: string) =>
      this.#permissions.readsAllLinked(actor, child, link) &&
      !this.#permissions.hiddenFields(actor, child).has(child.definition.titleField ?? '')
    return Object.assign(totals, { linked })
  }

  /**
   * Field values (an audit row's before or after) without the hidden ones,
   * without rollups the actor sees recomputed over their own rows (the
   * stored figures summed rows they cannot read), and without lookups whose
   * copy may come from a linked record or field out of their reach.
   */
  shownValues(actor: Actor, form: PublishedForm, values: unknown): unknown {
    if (typeof values !== 'object' || values === null) return values
    const { hidden, live, storedLookups } = this.#permissions.derivedView(actor, form)
    return Object.fromEntries(Object.entries(values).filter(([key]) => !hidden.has(key) && !live.has(key) && !storedLookups.has(key)))
  }
}

function say(locale: Locale, zh: string, en: string): string {
  return locale === 'en' ? en : zh
}

function sameValue(field: FieldDefinition | undefined, a: unknown, b: unknown): boolean {
  if (field?.type === 'lines') return isDeepStrictEqual(lineInputs(field, a), lineInputs(field, b))
  return isDeepStrictEqual(a, b)
}

/** Each line's input fields (not its formulas), a field left out as empty. */
function lineInputs(field: LinesField, rows: unknown): unknown {
  if (!Array.isArray(rows)) return rows
  const inputs = field.fields.filter((one) => !isComputed(one))
  return rows.map((row) => isPlainRecord(row)
    ? Object.fromEntries(inputs.map((one) => [one.key, row[one.key] ?? null]))
    : row)
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const NONE: ReadonlySet<string> = new Set()

/** A field's Chinese label, for messages; its key when the form has no such field. */
function fieldLabel(form: PublishedForm, key: string): string {
  const field = form.definition.fields.find((one) => one.key === key)
  return field ? localize(field.label, 'zh-CN') : key
}
