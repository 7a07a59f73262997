import { sql } from 'kysely'
import type { FieldDefinition, PublishedForm, RollupField } from '@tessera/core'
import type { Trx } from '../database.js'
import type { Plan } from '../publish-plan.js'
import { recomputeFormulas } from './derived-values.js'
import { FormGraph } from './form-graph.js'
import { companyContext } from './record-logic.js'
import { updateRollups } from './rollups.js'

/** Records whose formulas are computed again per round while publishing. */
const BATCH = 1000

/**
 * Fills the columns of rollups and formulas a new version adds or
 * redefines (a new expression, aggregate or source), for the
 * records already in the table, so that they read as if they had been
 * written under it. A rollup is one UPDATE over the table; formulas are
 * computed by the form engine, a thousand records at a time.
 */
export async function backfillDerived(
  trx: Trx,
  plan: Plan,
  findForm: (key: string) => Promise<PublishedForm | undefined>,
): Promise<void> {
  const { previous, next } = plan
  if (!previous) return
  const changed = [
    ...plan.added,
    ...plan.retyped.filter((r) => r.form === next).map((r) => r.field),
    ...redefined(previous, next),
  ]
  const rollups = changed.filter((field): field is RollupField => field.type === 'rollup')
  const formulas = changed.filter((field) => field.type === 'formula')
  if (rollups.length === 0 && formulas.length === 0) return

  const sources = await Promise.all(rollups.flatMap((field) => (field.form ? [findForm(field.form)] : [])))
  const graph = new FormGraph([next, ...sources.filter((form) => form !== undefined)])
  await updateRollups(trx, graph, next, rollups)

  const context = await companyContext(trx, 'zh-CN')
  const table = sql.table(`${next.table.schema}.${next.table.name}`)
  for (let after = 0; ; ) {
    const { rows } = await sql<{ id: number }>`
      select id from ${table} where id > ${after} order by id limit ${BATCH}`.execute(trx)
    if (rows.length === 0) break
    await recomputeFormulas(trx, next, rows.map((row) => row.id), context)
    after = rows[rows.length - 1].id
  }
}

/** Formulas and rollups kept in their column whose definition changed. */
function redefined(previous: PublishedForm, next: PublishedForm): FieldDefinition[] {
  const before = new Map(previous.definition.fields.map((field) => [field.column, field]))
  return next.definition.fields.filter((field) => {
    if (field.type !== 'formula' && field.type !== 'rollup') return false
    const old = field.column === undefined ? undefined : before.get(field.column)
    return old !== undefined && derivation(old) !== derivation(field)
  })
}

function derivation(field: FieldDefinition): string {
  if (field.type === 'formula') return JSON.stringify([field.expression, field.result, field.scale])
  if (field.type === 'rollup') return JSON.stringify([field.lines, field.form, field.link, field.agg, field.field])
  return field.type
}
