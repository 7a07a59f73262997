import {
  localize,
  TesseraError,
  type FieldDefinition,
  type FormAgreement,
  type FormConstraint,
  type LinkField,
  type LookupField,
  type PublishedForm,
  type RollupField,
} from '@tessera/core'
import { aggregateProblem, aggregateResult, linesRollupResult } from '@tessera/forms'
import { hasColumn } from './ddl.js'
import { compileFilter } from './filter-sql.js'
import { storedType } from './publish-convert.js'
import type { Plan } from './publish-plan.js'

type FindForm = (key: string) => Promise<PublishedForm | undefined>

/**
 * Records in each rollup what it is stored as, and in each lookup the
 * definition of the field it shows, checking what lies in the other form:
 * a rollup's link must point back at this form and its field be one that
 * aggregates; a lookup's field must exist and have a column.
 */
export async function resolveDerived(plans: Plan[], findForm: FindForm): Promise<void> {
  for (const { next } of plans) {
    for (const [index, field] of next.definition.fields.entries()) {
      const at = `fields[${index}]`
      if (field.type === 'rollup') await resolveRollup(next, field, at, findForm)
      if (field.type === 'lookup') await resolveLookup(next, field, at, findForm)
      if (field.type === 'link' && field.pickWhere !== undefined) await checkPickWhere(next, field, at, findForm)
    }
    for (const [index, constraint] of (next.definition.constraints ?? []).entries()) {
      await checkLimit(next, constraint, `constraints[${index}]`, findForm)
    }
    for (const [index, agreement] of (next.definition.agreements ?? []).entries()) {
      await checkAgreement(next, agreement, `agreements[${index}]`, findForm)
    }
  }
}

/** Stored types whose values have an order an agreement's `compare` can test. */
const ORDERED = /^(date|timestamptz|timestamp|numeric|bigint|integer|smallint|double precision|real)\b/

/**
 * An agreement's values must be fields that exist (also in the linked
 * form, for "link.field") and that can be equal: links to the same form,
 * or stored alike (a customer link never equals an invoice link, nor a
 * date a text).
 */
async function checkAgreement(form: PublishedForm, agreement: FormAgreement, at: string, findForm: FindForm) {
  const kinds: { path: string; label: string; kind: string }[] = []
  for (const [index, path] of agreement.paths.entries()) {
    const [head, tail] = path.split('.')
    const own = form.definition.fields.find((f) => f.key === head)
    if (!own) continue
    let field: FieldDefinition | undefined = own
    if (tail !== undefined && own.type === 'link') {
      const linked = await findForm(own.form)
      if (!linked) fail(form, at, `.paths[${index}]`, `form "${own.form}" is not published`)
      field = linked.definition.fields.find((f) => f.key === tail)
      if (!field || !hasColumn(field)) {
        fail(form, at, `.paths[${index}]`, `form "${linked.key}" has no stored field "${tail}"`,
          `一致性要求 ${agreement.key} 的值「${path}」在「${localize(linked.definition.label, 'zh-CN')}」中没有字段「${tail}」`)
      }
    }
    kinds.push({
      path,
      label: localize(field.label, 'zh-CN'),
      kind: field.type === 'link' ? `a link to form "${field.form}"` : storedType(field),
    })
  }
  const ordered = (agreement.compare ?? '==') !== '=='
  const unordered = ordered ? kinds.find((one) => !ORDERED.test(one.kind)) : undefined
  if (unordered) {
    fail(form, at, '.compare', `"${unordered.path}" (${unordered.kind}) has no order; "${agreement.compare}" compares dates, date-times and numbers`,
      `一致性要求 ${agreement.key} 按先后比较（${agreement.compare}），但「${unordered.label}」不是日期、时间或数字`)
  }
  // In order, numbers of any scale compare; otherwise stored alike.
  const sort = (kind: string) => (ordered && !/^(date|timestamp)/.test(kind) ? 'number' : kind)
  const other = kinds.find((one) => sort(one.kind) !== sort(kinds[0]?.kind ?? ''))
  if (other && ordered) {
    fail(form, at, '.paths', `"${kinds[0].path}" (${kinds[0].kind}) and "${other.path}" (${other.kind}) cannot be put in order: a date goes with a date, a date-time with a date-time, a number with a number`,
      `一致性要求 ${agreement.key} 中「${kinds[0].label}」与「${other.label}」不是同一类值，无法比较先后（日期须与日期、时间与时间、数字与数字比较）`)
  }
  if (other) {
    fail(form, at, '.paths', `"${kinds[0].path}" (${kinds[0].kind}) and "${other.path}" (${other.kind}) can never be equal`,
      `一致性要求 ${agreement.key} 中「${kinds[0].label}」与「${other.label}」是不同种类的值（例如指向不同表单的关联），永远不会相等`)
  }
}

/** A constraint's limit must be a number field of the record its link points at. */
async function checkLimit(form: PublishedForm, constraint: FormConstraint, at: string, findForm: FindForm) {
  const link = form.definition.fields.find((f) => f.key === constraint.per)
  if (link?.type !== 'link') return
  const linked = await findForm(link.form)
  if (!linked) fail(form, at, '.per', `form "${link.form}" is not published`)
  const limit = linked.definition.fields.find((f) => f.key === constraint.max)
  if (!limit) fail(form, at, '.max', `form "${linked.key}" has no field "${constraint.max}"`)
  const problem = aggregateProblem('sum', limit as never)
  if (problem || limit.type === 'lines' || limit.type === 'lookup') {
    fail(form, at, '.max', `the limit "${linked.key}.${limit.key}" must be a number, money or percent field`)
  }
}

async function resolveRollup(form: PublishedForm, field: RollupField, at: string, findForm: FindForm) {
  if (field.lines !== undefined) {
    field.result = linesRollupResult(form.definition, field)
    return
  }

  const source = await findForm(field.form!)
  if (!source) fail(form, at, `.form`, `form "${field.form}" is not published`)
  const link = source.definition.fields.find((f) => f.key === field.link)
  if (link?.type !== 'link' || link.form !== form.key) {
    fail(form, at, '.link', `"${field.link}" is not a field of form "${source.key}" linking to "${form.key}"`)
  }
  if (field.agg === 'count') {
    field.result = { type: 'number', scale: 0 }
    return
  }

  const aggregated = source.definition.fields.find((f) => f.key === field.field)
  if (!aggregated) fail(form, at, '.field', `form "${source.key}" has no field "${field.field}"`)
  const problem = aggregateProblem(field.agg, aggregated as never)
  const result = aggregateResult(aggregated)
  if (problem || !result) {
    fail(form, at, '.field', problem ?? `a ${field.agg} cannot read "${source.key}.${field.field}"`)
  }
  field.result = result
}

async function resolveLookup(form: PublishedForm, field: LookupField, at: string, findForm: FindForm) {
  const link = form.definition.fields.find((f) => f.key === field.link)
  if (link?.type !== 'link') return
  const linked = await findForm(link.form)
  if (!linked) fail(form, at, '.link', `form "${link.form}" is not published`)
  const shown = linked.definition.fields.find((f) => f.key === field.field)
  if (!shown) fail(form, at, '.field', `form "${linked.key}" has no field "${field.field}"`)
  if (shown.type === 'lines' || shown.type === 'lookup') {
    fail(form, at, '.field', `a lookup cannot show the ${shown.type} field "${linked.key}.${shown.key}"`)
  }
  field.target = structuredClone(shown)
}

/** A link's picker condition must be one the list filters compile over the linked form. */
async function checkPickWhere(form: PublishedForm, field: LinkField, at: string, findForm: FindForm) {
  const linked = await findForm(field.form)
  if (!linked) return // the link itself is refused elsewhere
  try {
    compileFilter(linked, field.pickWhere)
  } catch (error) {
    if (!(error instanceof TesseraError)) throw error
    fail(form, at, '.pickWhere', error.message, `链接「${localize(field.label, 'zh-CN')}」的可选范围有误：${error.messages['zh-CN'] ?? error.message}`)
  }
}

function fail(form: PublishedForm, at: string, part: string, problem: string, zh?: string): never {
  const messages = zh === undefined ? undefined : { 'zh-CN': `表单「${localize(form.definition.label, 'zh-CN')}」不能发布：${zh}` }
  throw new TesseraError(
    'metadata.invalid',
    `form definition "${form.key}" is invalid: ${at}${part}: ${problem}`,
    { details: { form: form.key }, issues: [{ field: `${at}${part}`, rule: 'reference', message: problem }], messages },
  )
}
