import { sql, type RawBuilder } from 'kysely'
import {
  type AgreementCompare,
  localize,
  TesseraError,
  type FieldIssue,
  type FormAgreement,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import type { Trx } from '../database.js'
import type { AgreementEdge, FormGraph } from './form-graph.js'

/**
 * Checks the form's agreements (values that must be equal across linked
 * records, such as an invoice request's customer and its order's) for
 * the written records, inside the writing transaction, in one statement
 * per agreement. Throws TesseraError('validation.failed') with an issue
 * on the first link the agreement names, for each record that breaks it
 * (naming the record by id when it existed before the write).
 */
export async function checkAgreements(
  trx: Trx,
  graph: FormGraph,
  form: PublishedForm,
  ids: readonly number[],
  locale: Locale,
  /** Records this write created: their ids are rolled back with the refusal, so no issue names them. */
  created: ReadonlySet<number> = new Set(),
  /** For a record this write changed, the fields it changed: a refusal stands on the one it changed. */
  changedOf: (id: number) => ReadonlySet<string> | undefined = () => undefined,
): Promise<void> {
  const agreements = form.definition.agreements ?? []
  if (agreements.length === 0 || ids.length === 0) return

  await shareLinked(trx, graph, form, agreements, ids)
  const issues: FieldIssue[] = []
  // The record each issue is about, created ones too: an import names their lines.
  const records: number[] = []
  for (const agreement of agreements) {
    const { joins, values } = resolve(graph, form, agreement)
    const pairs = breaking(values, agreement.compare ?? '==')
    const { rows } = await sql<{ id: number }>`
      select t.id from ${table(form)} as t ${sql.join(joins, sql` `)}
      where t.id in (${sql.join([...ids])}) and (${sql.join(pairs, sql` or `)})
      order by t.id`.execute(trx)
    for (const row of rows) {
      records.push(Number(row.id))
      // An update that changed one of this form's own values the agreement reads (an order's
      // customer) is told on that value, not on the link it left alone.
      const changed = changedOf(Number(row.id))
      const own = agreement.paths.find((path) => !path.includes('.') && changed?.has(path))
      issues.push({
        field: own ?? issueField(agreement),
        rule: 'agreement',
        message: localize(agreement.message, locale),
        expected: {
          agreement: agreement.key,
          paths: agreement.paths,
          ...(created.has(row.id) ? {} : { record: row.id }),
        },
      })
    }
  }
  if (issues.length === 0) return
  throw new TesseraError('validation.failed', issues.map((issue) => issue.message).join(locale === 'en' ? '; ' : '；'), {
    details: { form: form.key, agreements: [...new Set(issues.map((issue) => (issue.expected as { agreement: string }).agreement))] },
    // Not in the details a client reads (a refused new record has no id), but for a caller that
    // wrote many records at once: an import names the lines of the records refused.
    cause: refusedFor(records.map((id) => [id])),
    issues,
  })
}

/**
 * Locks (FOR SHARE, in id order) the records the written ones link to
 * through a link an agreement reads, until the write commits: a writer
 * changing one of them (which takes a stronger lock) waits for this write,
 * then finds its records when it checks the other side; and this write,
 * had that writer come first, reads the linked record as it committed it.
 * One statement per link.
 */
async function shareLinked(
  trx: Trx,
  graph: FormGraph,
  form: PublishedForm,
  agreements: readonly FormAgreement[],
  ids: readonly number[],
): Promise<void> {
  const heads = new Set(agreements.flatMap((agreement) => agreement.paths
    .filter((path) => path.includes('.')).map((path) => path.split('.')[0])))
  for (const head of heads) {
    const link = form.definition.fields.find((field) => field.key === head)
    const target = link?.type === 'link' ? graph.form(link.form) : undefined
    if (!link?.column || !target) continue
    await sql`select a.id from ${table(form)} as t join ${table(target)} as a on a.id = ${sql.ref(`t.${link.column}`)}
      where t.id in (${sql.join([...ids])}) order by a.id for share of a`.execute(trx)
  }
}

/** How many of the records a changed record would put out of agreement an issue names. */
const NAMED = 3

/**
 * Checks, after records of `form` were updated, the agreements of the forms
 * that read the changed fields through a link: an invoice's date moved
 * past the date of an allocation already made to it, an order's customer
 * changed under its invoice requests. Inside the writing transaction, one
 * statement per agreement reached (none when no field it reads changed).
 * Refuses with an issue on the changed field of the written record, naming
 * the first few records that would no longer agree and how many there are.
 * Fields absent from `after` did not change; a field absent from `before`
 * (an import reads only some) may have. A write on the other side, at the
 * same moment, holds the records it links to (shareLinked), so one of the
 * two waits for the other and sees its records.
 */
export async function checkLinkingAgreements(
  trx: Trx,
  graph: FormGraph,
  form: PublishedForm,
  records: ReadonlyArray<{ id?: number; before?: Record<string, unknown>; after?: Record<string, unknown> }>,
  locale: Locale,
  /** Whether the writer may be told which records of `child` are in the way (all when absent). */
  reveal: (child: PublishedForm, link: string) => boolean = () => true,
): Promise<void> {
  const edges = graph.agreementsOn(form.key)
  if (edges.length === 0) return
  const issues: FieldIssue[] = []
  const written: number[] = []
  for (const edge of edges) {
    const changed = new Map<number, string>()
    for (const { id, before, after } of records) {
      if (id === undefined || !before || !after) continue
      const field = edge.fields.find((key) => Object.hasOwn(after, key) &&
        (!Object.hasOwn(before, key) || comparable(before[key]) !== comparable(after[key])))
      if (field) changed.set(id, field)
    }
    if (changed.size === 0) continue
    const found = await linkedBreaking(trx, graph, edge, [...changed.keys()])
    if (found.length === 0) continue
    const target = Number(found[0].target)
    const named = reveal(edge.child, edge.link.key)
    written.push(target)
    issues.push({
      field: changed.get(target)!,
      rule: 'agreement',
      message: linkedMessage(edge, named ? found : [], locale),
      expected: {
        agreement: edge.agreement.key,
        form: edge.child.key,
        paths: edge.agreement.paths,
        ...(named ? { records: found.map((row) => Number(row.id)) } : {}),
      },
    })
  }
  if (issues.length === 0) return
  throw new TesseraError('validation.failed', issues.map((issue) => issue.message).join(locale === 'en' ? '; ' : '；'), {
    details: { form: form.key, agreements: [...new Set(issues.map((issue) => (issue.expected as { agreement: string }).agreement))] },
    cause: refusedFor(written.map((id) => [id])),
    issues,
  })
}

interface LinkedRow {
  id: number
  target: number
  title: unknown
  total: string | number
}

/** The first few records of the edge's form, linking to `targets`, that break its agreement now. */
async function linkedBreaking(trx: Trx, graph: FormGraph, edge: AgreementEdge, targets: number[]): Promise<LinkedRow[]> {
  const { joins, values } = resolve(graph, edge.child, edge.agreement)
  const pairs = breaking(values, edge.agreement.compare ?? '==')
  const titleField = edge.child.definition.fields.find((field) => field.key === edge.child.definition.titleField)
  const title = titleField?.column && titleField.type !== 'link' ? sql.ref(`t.${titleField.column}`) : sql`null`
  const link = sql.ref(`t.${edge.link.column}`)
  const { rows } = await sql<LinkedRow>`
    select t.id, ${link} as target, ${title} as title, count(*) over () as total
    from ${table(edge.child)} as t ${sql.join(joins, sql` `)}
    where ${link} in (${sql.join(targets)}) and (${sql.join(pairs, sql` or `)})
    order by t.id limit ${NAMED}`.execute(trx)
  return rows
}

/** 「已有核销 #12、#15 等 4 条与此不符：…」; without rows (the writer may not read them) 「已有核销与此不符：…」. */
function linkedMessage(edge: AgreementEdge, rows: LinkedRow[], locale: Locale): string {
  const label = localize(edge.child.definition.label, locale)
  const message = localize(edge.agreement.message, locale)
  if (rows.length === 0) {
    return locale === 'en' ? `Existing ${label} records would no longer agree: ${message}` : `已有${label}与此不符：${message}`
  }
  const names = rows.map((row) => row.title === null || row.title === undefined || row.title === ''
    ? `#${row.id}`
    : String(row.title))
  const total = Number(rows[0].total)
  if (locale === 'en') {
    const more = total > rows.length ? ` and ${total - rows.length} more` : ''
    return `${label} ${names.join(', ')}${more} would no longer agree: ${message}`
  }
  const more = total > rows.length ? ` 等 ${total} 条` : ' '
  return `已有${label} ${names.join('、')}${more}与此不符：${message}`
}

/** A stored or written value as text, to tell whether an update changed it. */
function comparable(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * What a refusal carries for a caller that wrote many records at once (an
 * import names their lines): for each of its issues, the written records
 * it is about, new ones too, whose ids the refusal rolled back. Not in the
 * details a client reads (a refused new record has no id).
 */
export function refusedFor(records: number[][]): { refusedRecords: number[][] } {
  return { refusedRecords: records }
}

/**
 * For each issue of an agreement or limit refusal, the written records it
 * is about (see refusedFor), or undefined for any other error.
 */
export function refusedRecords(error: unknown): number[][] | undefined {
  if (!(error instanceof TesseraError)) return undefined
  if (error.code !== 'validation.failed' && error.code !== 'conflict.constraint') return undefined
  return (error.cause as { refusedRecords?: number[][] } | undefined)?.refusedRecords
}

/**
 * The tests true for a record that breaks the agreement: two filled values
 * that differ, or, for an order, a filled value not before (`<`) or not at
 * most (`<=`) the next filled one in the list.
 */
function breaking(values: readonly RawBuilder<unknown>[], compare: AgreementCompare): RawBuilder<boolean>[] {
  // Every pair, filled on both sides: for an order, an empty value in the middle does not hide the two around it.
  const broken = (a: RawBuilder<unknown>, b: RawBuilder<unknown>) => compare === '=='
    ? sql`${a} is distinct from ${b}`
    : sql`not (${a} ${sql.raw(compare)} ${b})`
  const tests: RawBuilder<boolean>[] = []
  for (let i = 0; i < values.length; i += 1) {
    for (let j = i + 1; j < values.length; j += 1) {
      tests.push(sql<boolean>`(${values[i]} is not null and ${values[j]} is not null and ${broken(values[i], values[j])})`)
    }
  }
  return tests
}

/**
 * Where a refusal is shown: an equality on the link the first linked value
 * reads through (the record to choose again); an order on the first value
 * of this form's own (the date to change), else as an equality.
 */
function issueField(agreement: FormAgreement): string {
  const linked = agreement.paths.find((path) => path.includes('.'))?.split('.')[0]
  const own = agreement.paths.find((path) => !path.includes('.'))
  if ((agreement.compare ?? '==') !== '==' && own) return own
  return linked ?? agreement.paths[0]
}

/** The joins to the linked records an agreement reads, and each path's value. */
function resolve(graph: FormGraph, form: PublishedForm, agreement: FormAgreement) {
  const joins: RawBuilder<unknown>[] = []
  const joined = new Map<string, string>()
  const values = agreement.paths.map((path) => {
    const [head, tail] = path.split('.')
    const field = form.definition.fields.find((candidate) => candidate.key === head)
    if (!field?.column) throw broken(form, agreement, path)
    if (tail === undefined) return sql.ref(`t.${field.column}`)

    const target = field.type === 'link' ? graph.form(field.form) : undefined
    const column = target?.definition.fields.find((candidate) => candidate.key === tail)?.column
    if (!target || !column) throw broken(form, agreement, path)
    let alias = joined.get(head)
    if (!alias) {
      alias = `a${joined.size}`
      joined.set(head, alias)
      joins.push(sql`left join ${table(target)} as ${sql.id(alias)}
        on ${sql.ref(`${alias}.id`)} = ${sql.ref(`t.${field.column}`)}`)
    }
    return sql.ref(`${alias}.${column}`)
  })
  return { joins, values }
}

function broken(form: PublishedForm, agreement: FormAgreement, path: string): TesseraError {
  return new TesseraError('metadata.invalid',
    `agreement "${agreement.key}" of form "${form.key}" names "${path}", which is not a stored field here or of the linked form`,
    { details: { form: form.key, agreement: agreement.key, path } })
}

function table(form: PublishedForm) {
  return sql.table(`${form.table.schema}.${form.table.name}`)
}
