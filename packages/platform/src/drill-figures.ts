import { sql } from 'kysely'
import { type DrillOptions, type ReportColumn, type ReportSpec, compileDrill } from '@tessera/reports'

import type { Platform } from './platform.js'

/*
 * What a drilled list says of the figure it was opened on, beside each
 * record's share (dashboard-drills.ts): the shares' totals over every
 * record, and the values clicked as the figure showed them.
 */

/** Each additive share column summed over every record of the drill (the reader's rows only). */
export async function shareTotals(
  platform: Platform,
  spec: ReportSpec,
  forms: ReturnType<Platform['catalog']['resolver']>,
  params: Record<string, unknown>,
  path: Record<string, unknown>,
  options: DrillOptions,
  columns: readonly ReportColumn[],
): Promise<Record<string, string | number>> {
  const additive = new Set((spec.measures ?? []).filter((one) => one.agg === 'sum' || one.agg === 'count').map((one) => one.key))
  const summed = columns.filter((column) => additive.has(column.key))
  if (summed.length === 0) return {}
  const { ids: _ids, limit: _limit, ...whole } = options
  const drill = await compileDrill(spec, forms, params, path, whole)
  const sums = summed.map((column) => {
    const sum = sql`coalesce(sum(${sql.ref(`__drill.${column.key}`)}), 0)`
    const typed = column.type === 'integer' ? sql`cast(${sum} as bigint)`
      : column.scale === undefined ? sql`cast(${sum} as numeric)` : sql`round(cast(${sum} as numeric), ${sql.lit(column.scale)})`
    return sql`cast(${typed} as text) as ${sql.id(column.key)}`
  })
  const { rows } = await sql<Record<string, string>>`select ${sql.join(sums)} from (${drill.query}) as "__drill"`
    .execute(platform.database.db)
  return Object.fromEntries(summed.map((column) => {
    const text = rows[0]?.[column.key] ?? '0'
    return [column.key, column.type === 'integer' ? Number(text) : text]
  }))
}

/**
 * A drill path's values as the report's columns show them: a bucket by
 * the label of its index (a label travelling beside the index is not
 * repeated; a label alone, clicked in the language of `clicked`'s columns,
 * by its index there), the others row by its label, a select field's code
 * by its label, an empty value as —.
 */
export function clickedCaption(
  path: Record<string, unknown>,
  columns: readonly ReportColumn[],
  clicked: readonly ReportColumn[] = columns,
  /** The columns in the other language: a select field's label typed in it is said in the reader's. */
  other: readonly ReportColumn[] = [],
): string[] {
  const byKey = new Map(columns.map((column) => [column.key, column]))
  const clickedByKey = new Map(clicked.map((column) => [column.key, column]))
  const otherByKey = new Map(other.map((column) => [column.key, column]))
  /** A select field's value as its option's code: the code, or a label in either language. */
  const codeOf = (key: string, text: string) => {
    const choices = byKey.get(key)?.choices
    if (choices === undefined || Object.hasOwn(choices, text)) return text
    for (const labels of [choices, clickedByKey.get(key)?.choices, otherByKey.get(key)?.choices]) {
      const found = Object.entries(labels ?? {}).find(([, label]) => label === text)
      if (found) return found[0]
    }
    return text
  }
  const bucketOf = (key: string) => {
    const given = path[`${key}__index`]
    const label = path[key]
    const index = typeof given === 'number' ? given
      : typeof label === 'string' ? clickedByKey.get(key)?.buckets?.indexOf(label) : undefined
    return index === undefined || index < 0 ? undefined : byKey.get(key)?.buckets?.[index]
  }
  const shown: string[] = []
  for (const [key, value] of Object.entries(path)) {
    const base = key.replace(/__(index|others)$/, '')
    const column = byKey.get(base)
    if (key.endsWith('__others')) {
      if (value === true) shown.push(column?.others ?? '…')
    } else if (key.endsWith('__index')) {
      shown.push(bucketOf(base) ?? String(value))
    } else if (!Object.hasOwn(path, `${key}__index`)) {
      // (Beside its index, a bucket's label is said by the index, above.)
      const text = value === null || value === undefined || value === '' ? '—' : String(value)
      shown.push(bucketOf(key) ?? column?.choices?.[codeOf(key, text)] ?? text)
    }
  }
  return shown
}
