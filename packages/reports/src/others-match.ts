import { type RawBuilder, sql } from 'kysely'

import { TesseraError } from '@tessera/core'

import { assembleReport } from './assemble-report.js'
import { show } from './issue-list.js'
import type { ReportPlan } from './plan-report.js'

type Sql = RawBuilder<unknown>

const SUFFIX = '__others'

/**
 * Splits `<dimension>__others: true` (the "others" row of a top-N report:
 * every value outside the top n) from the other dimension values of a
 * match. At most one such key; its value must be true.
 *
 * @example
 * splitOthers({ region: '华东', customer__others: true })
 * // → { match: { region: '华东' }, others: 'customer' }
 */
export function splitOthers(
  match: Record<string, unknown> | undefined,
): { match: Record<string, unknown> | undefined; others?: string } {
  if (!match) return { match }
  const keys = Object.keys(match).filter((key) => key.endsWith(SUFFIX))
  if (keys.length === 0) return { match }
  if (keys.length > 1 || match[keys[0]] !== true) {
    const key = keys.length > 1 ? keys[1] : keys[0]
    const en = `match ${key}: expected true, for the "others" row of one top-N dimension; got ${show(match[key])}`
    throw new TesseraError('request.invalid', en, {
      details: { field: key, expected: true, received: match[key] },
      issues: [{ field: `dim.${key}`, rule: 'others', message: en }],
      messages: { 'zh-CN': `${key} 须为 true（表示一个前 N 维度的「其他」行），收到 ${show(match[key])}`, en },
    })
  }
  const rest = { ...match }
  delete rest[keys[0]]
  return { match: rest, others: keys[0].slice(0, -SUFFIX.length) }
}

/**
 * The condition keeping the source rows of the "others" row: rows whose
 * top dimension is not among the top n values of `ranking` (the same
 * report, conditions and params, planned without the others match and
 * without regrouping). It is written as `<alias>.id in (…)` over the
 * ranking plan's own source, so it holds however the caller's plan is
 * grouped or joined. The ranking runs as a subquery of the statement.
 */
export function othersCondition(
  ranking: ReportPlan,
  alias: string,
  dimensionKey: string,
): Sql {
  const top = ranking.top
  const dimension = ranking.dimensions.find((candidate) => candidate.key === dimensionKey)
  if (!top || top.dimension !== dimensionKey || top.others === false || !dimension) {
    const en = `match ${dimensionKey}${SUFFIX}: report "${ranking.spec.key}" has no "others" row for "${dimensionKey}"`
    throw new TesseraError('request.invalid', en, {
      details: { field: `${dimensionKey}${SUFFIX}`, expected: top ? `${top.dimension}${SUFFIX}` : 'no others match' },
      issues: [{ field: `dim.${dimensionKey}${SUFFIX}`, rule: 'others', message: en }],
      messages: { 'zh-CN': `报表「${ranking.spec.key}」的「${dimensionKey}」没有「其他」行`, en },
    })
  }

  const outside = outsideTop(ranking, dimension.value.sql, dimension.key)
  const id = sql.id(ranking.source.alias, 'id')
  const conditions = [...ranking.conditions, outside]
  const rollups = ranking.source.context.rollups.steps()
  const prefix = rollups.length > 0 ? sql`with ${sql.join(rollups)} ` : sql``
  const ids = sql`${prefix}select ${id} from ${ranking.source.from()}
    where ${sql.join(conditions, sql` and `)}`
  return sql`(${sql.id(alias, 'id')} in (${ids}))`
}

/** Rows whose value of the dimension (`expr`) is none of the ranking's top values. */
function outsideTop(ranking: ReportPlan, expr: Sql, dimensionKey: string): Sql {
  const kept = { ...ranking, top: { ...ranking.top!, others: false as const } }
  const report = assembleReport(kept, 'zh-CN')
  const key = sql.id(dimensionKey)
  const values = sql`select ${key} from (${report}) as "__top"`
  return sql`(case when ${expr} is null
    then not exists (${values} where ${key} is null)
    else ${expr} not in (${values} where ${key} is not null) end)`
}

/**
 * The "others" row of another plan of the same report — the previous
 * period's — by value: its rows whose dimension is none of the top values
 * ranked this period (the previous period's own records, not this
 * period's ids).
 */
export function othersByValue(ranking: ReportPlan, target: ReportPlan, dimensionKey: string): Sql {
  const dimension = target.dimensions.find((candidate) => candidate.key === dimensionKey)
  if (!dimension) return sql`false`
  return outsideTop(ranking, dimension.value.sql, dimensionKey)
}
