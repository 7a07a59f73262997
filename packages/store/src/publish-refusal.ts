import { sql } from 'kysely'
import { localize, TesseraError, type FieldDefinition, type FormDefinition, type PublishedForm } from '@tessera/core'
import type { Executor } from './database.js'
import { constraintName } from './naming.js'

interface PgError {
  code?: string
  constraint?: string
}

/** How many groups of duplicates a refusal names. */
const EXAMPLES = 5

/**
 * The error of a publish that Postgres refused, as the caller's mistake:
 * a unique index that cannot be created because records hold the same
 * value twice becomes `conflict.unique` naming the fields by label (409),
 * not a 500. `next` is the definition being published (a new unique set is
 * only there). With `db` (outside the failed transaction) the message also
 * names the first records that hold the same values, and `details.duplicates`
 * lists their ids. Any other error is returned unchanged.
 */
export async function publishRefusal(
  error: unknown,
  previous: PublishedForm | undefined,
  next?: FormDefinition,
  db?: Executor,
): Promise<unknown> {
  const pg = error as PgError
  if (pg?.code !== '23505' || !previous) return error
  const table = previous.table.name
  const columnOf = (key: string) => previous.definition.fields.find((f) => f.key === key)?.column
  const sets = [
    ...[...(next?.fields ?? []), ...previous.definition.fields].map((f) => [f.key]),
    ...(next?.uniques ?? []),
    ...(previous.definition.uniques ?? []),
  ]
  const keys = sets.find((set) => {
    const columns = set.map(columnOf)
    return columns.every((c) => c !== undefined) && constraintName(table, columns as string[], 'key') === pg.constraint
  }) ?? []
  const fields = keys.map((key) =>
    next?.fields.find((f) => f.key === key) ?? previous.definition.fields.find((f) => f.key === key)) as FieldDefinition[]
  const duplicates = db && keys.length > 0 ? await duplicateGroups(db, previous, keys.map((k) => columnOf(k)!)) : []

  const zhNames = fields.length > 0 ? `「${fields.map((f) => localize(f.label, 'zh-CN')).join('、')}」` : '该字段'
  const enNames = fields.length > 0 ? fields.map((f) => `"${localize(f.label, 'en')}"`).join(', ') : 'a field'
  const zhExamples = duplicates.map((ids) => ids.map((id) => `#${id}`).join(' 与 ')).join('；')
  const enExamples = duplicates.map((ids) => ids.map((id) => `#${id}`).join(' and ')).join('; ')
  const zh = `无法让${zhNames}取值唯一：已有记录取值相同${zhExamples ? `（${zhExamples}）` : ''}，请先修改这些记录再发布`
  const en = `form "${previous.key}" cannot make ${enNames} unique: records already hold the same value more than ` +
    `once${enExamples ? ` (${enExamples})` : ''}; change them first`
  return new TesseraError('conflict.unique', en, {
    cause: error,
    details: { form: previous.key, fields: keys, constraint: pg.constraint, duplicates },
    issues: keys.map((key) => ({ field: key, rule: 'unique', message: en })),
    messages: { en, 'zh-CN': zh },
  })
}

/** Ids of records sharing the same values in `columns`, a few groups, oldest first. */
async function duplicateGroups(db: Executor, form: PublishedForm, columns: string[]): Promise<number[][]> {
  const list = sql.join(columns.map((c) => sql.ref(c)))
  const table = sql.table(`${form.table.schema}.${form.table.name}`)
  const { rows } = await sql<{ ids: number[] }>`
    select (array_agg(id order by id))[1:3] as ids from ${table}
    where ${sql.join(columns.map((c) => sql`${sql.ref(c)} is not null`), sql` and `)}
    group by ${list} having count(*) > 1
    order by min(id) limit ${EXAMPLES}`.execute(db)
  return rows.map((row) => row.ids.map(Number))
}
