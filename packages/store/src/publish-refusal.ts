import { TesseraError, type PublishedForm } from '@tessera/core'
import { constraintName } from './naming.js'

interface PgError {
  code?: string
  constraint?: string
}

/**
 * The error of a publish that Postgres refused, as the caller's mistake:
 * a unique index that cannot be created because records hold the same
 * value twice becomes `conflict.unique` naming the field (409), not a 500.
 * Any other error is returned unchanged.
 */
export function publishRefusal(error: unknown, previous: PublishedForm | undefined): unknown {
  const pg = error as PgError
  if (pg?.code !== '23505' || !previous) return error
  const { fields, uniques = [] } = previous.definition
  const table = previous.table.name
  const single = fields.filter((f) => f.column && constraintName(table, [f.column], 'key') === pg.constraint)
  const group = uniques.find((keys) => constraintName(table,
    keys.map((k) => fields.find((f) => f.key === k)?.column ?? k), 'key') === pg.constraint)
  const keys = single.length > 0 ? single.map((f) => f.key) : group ?? []
  const named = keys.length > 0 ? keys.map((k) => `"${k}"`).join(', ') : 'a field'
  const message = `form "${previous.key}" cannot make ${named} unique: records already hold the same value ` +
    'more than once; change them first'
  return new TesseraError('conflict.unique', message, {
    cause: error,
    details: { form: previous.key, fields: keys, constraint: pg.constraint },
    issues: keys.map((key) => ({ field: key, rule: 'unique', message: 'records hold duplicates of this value' })),
  })
}
