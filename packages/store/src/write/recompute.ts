import { sql } from 'kysely'
import { notFound, type FormulaField, type PublishedForm, type RollupField } from '@tessera/core'
import { loadPublishedForm } from '../catalog.js'
import type { Trx } from '../database.js'
import { prepareRecord } from '@tessera/forms'
import { rowToRecord } from '../record-rows.js'
import { recomputeFormulas } from './derived-values.js'
import { readLines, writeLines } from './line-items.js'
import { FormGraph } from './form-graph.js'
import { overLimitRecords, refillLimitTotals } from './limit-totals.js'
import { companyContext } from './record-logic.js'
import { updateRollups } from './rollups.js'

/** Records whose formulas are computed in one round. */
const BATCH = 1000

export interface Recomputed {
  /** "app/form" with the stored rollups and formulas it holds, in the order computed. */
  forms: { form: string; rollups: number; formulas: number }[]
  /** The constraint totals refilled, as "app/form.constraint". */
  totals: string[]
  /** Per constraint, how many records' totals now pass their limit (the rows changed with SQL broke it). */
  overLimit: { constraint: string; records: number }[]
  /** Per form, how many records a formula could not be computed for (left empty: a division by zero). */
  formulaFailures: { form: string; records: number }[]
}

/**
 * Computes every stored rollup, formula and constraint total of one app
 * (or of every app) afresh from the records, for values left behind by
 * rows written around the engine: a bulk SQL load, a table restored on its
 * own. Run it inside a transaction. The app's tables are locked against
 * writes until it ends (EXCLUSIVE: reads go on), so nothing changes under
 * the sums. Forms are computed children first: a form's rollups read the
 * formulas of the forms they sum, already recomputed. Nothing is audited:
 * the records' own values do not change.
 */
export async function recomputeDerived(trx: Trx, app?: string): Promise<Recomputed> {
  if (app !== undefined) {
    const { rows } = await sql`select 1 from tessera.app where key = ${app}`.execute(trx)
    if (rows.length === 0) throw notFound('app', app)
  }
  const { rows } = await sql<{ app_key: string; key: string }>`
    select app_key, key from tessera.form
    where published_version is not null
      ${app === undefined ? sql`` : sql`and app_key = ${app}`}
    order by app_key, key`.execute(trx)

  const forms: Recomputed['forms'] = []
  const formulaFailures: Recomputed['formulaFailures'] = []
  for (const appKey of new Set(rows.map((row) => row.app_key))) {
    const published: PublishedForm[] = []
    for (const row of rows.filter((one) => one.app_key === appKey)) {
      const form = await loadPublishedForm(trx, appKey, row.key)
      if (form) published.push(form)
    }
    const tables = published
      .map((form) => `${form.table.schema}.${form.table.name}`)
      .sort()
      .map((name) => sql.table(name))
    if (tables.length > 0) await sql`lock table ${sql.join(tables)} in exclusive mode`.execute(trx)

    const graph = new FormGraph(published)
    const context = await companyContext(trx, 'zh-CN')
    for (const form of childrenFirst(published)) {
      const rollups = form.definition.fields.filter(
        (field): field is RollupField => field.type === 'rollup' && field.column !== undefined,
      )
      const formulas = form.definition.fields.filter(
        (field): field is FormulaField => field.type === 'formula' && field.column !== undefined,
      )
      const lineFormulas = form.definition.fields.some((field) =>
        field.type === 'lines' && field.fields.some((line) => line.type === 'formula'))
      if (rollups.length === 0 && formulas.length === 0 && !lineFormulas) continue
      // The lines' own formulas first: rollups over the lines read them.
      if (lineFormulas) await inBatches(trx, form, (ids) => recomputeLines(trx, form, ids, context))
      await updateRollups(trx, graph, form, rollups)
      if (formulas.length > 0) {
        const failed = new Set<number>()
        await inBatches(trx, form, (ids) => recomputeFormulas(trx, form, ids, context, failed))
        if (failed.size > 0) formulaFailures.push({ form: `${appKey}/${form.key}`, records: failed.size })
      }
      forms.push({ form: `${appKey}/${form.key}`, rollups: rollups.length, formulas: formulas.length })
    }
  }
  // Last: a total over a formula sums its new values.
  const totals = await refillLimitTotals(trx, app)
  return { forms, totals, overLimit: await overLimitRecords(trx, app), formulaFailures }
}

type Context = Awaited<ReturnType<typeof companyContext>>

async function inBatches(trx: Trx, form: PublishedForm, run: (ids: number[]) => Promise<unknown>) {
  const table = sql.table(`${form.table.schema}.${form.table.name}`)
  for (let after = 0; ; ) {
    const { rows } = await sql<{ id: number }>`
      select id from ${table} where id > ${after} order by id limit ${BATCH}`.execute(trx)
    if (rows.length === 0) return
    await run(rows.map((row) => row.id))
    after = rows[rows.length - 1].id
  }
}

/** Stores the line items again of the records whose line formulas now compute otherwise. */
async function recomputeLines(trx: Trx, form: PublishedForm, ids: number[], context: Context) {
  const table = sql.table(`${form.table.schema}.${form.table.name}`)
  const { rows } = await sql<Record<string, unknown>>`
    select * from ${table} where id in (${sql.join(ids)})`.execute(trx)
  const records = rows.map((row) => rowToRecord(form, row))
  await readLines(trx, form, records)
  for (const record of records) {
    const { values } = prepareRecord(form, record.values, context)
    const changed: Record<string, unknown> = {}
    for (const field of form.definition.fields) {
      if (field.type !== 'lines') continue
      if (JSON.stringify(values[field.key]) !== JSON.stringify(record.values[field.key])) {
        changed[field.key] = values[field.key]
      }
    }
    if (Object.keys(changed).length > 0) await writeLines(trx, form, record.id, changed)
  }
}

/**
 * The forms ordered so that each comes after the forms its rollups sum.
 * Forms whose rollups sum each other in a circle are taken in the order
 * the walk meets them, so one run may leave such a circle behind.
 */
function childrenFirst(forms: PublishedForm[]): PublishedForm[] {
  const byKey = new Map(forms.map((form) => [form.key, form]))
  const ordered: PublishedForm[] = []
  const seen = new Set<string>()
  const visit = (form: PublishedForm) => {
    if (seen.has(form.key)) return
    seen.add(form.key)
    for (const field of form.definition.fields) {
      if (field.type !== 'rollup' || field.lines !== undefined || field.form === undefined) continue
      const child = byKey.get(field.form)
      if (child) visit(child)
    }
    ordered.push(form)
  }
  for (const form of forms) visit(form)
  return ordered
}
