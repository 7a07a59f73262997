import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Dec, SYSTEM_ACTOR } from '@tessera/core'
import { Platform, loadDemo } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'

import {
  type Ledger,
  collection,
  dso,
  expectedCashIn,
  openByRegion,
  readLedger,
  summary,
} from './expected-kpis.js'

const TEMPLATE = resolve(__dirname, '..')
const APP = 'customer-settlement'
const END = '2024-06-30'
const AS_OF = ['2024-06-30', '2024-03-31']

/** ISO week label, as the report labels weeks: "2024-W27". */
function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`)
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * 86_400_000)
  const year = thursday.getUTCFullYear()
  const january4 = new Date(Date.UTC(year, 0, 4))
  const week1 = january4.getTime() - ((january4.getUTCDay() + 6) % 7) * 86_400_000
  const week = Math.floor((thursday.getTime() - week1) / (7 * 86_400_000)) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

type ReportResult = Awaited<ReturnType<Platform['runReport']>>
type RunShape = NonNullable<Parameters<Platform['runReport']>[5]>

const byEngine = new Map<string, ReportResult[]>()

describe.each(databaseSuites())('the template KPIs on $name', (suite) => {
  let platform: Platform
  let ledger: Ledger
  const seen: ReportResult[] = []

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    const outDir = mkdtempSync(join(tmpdir(), 'tessera-kpis-'))
    await loadDemo(platform, TEMPLATE, { outDir, size: 600, end: END, seed: 7, actor: SYSTEM_ACTOR })
    ledger = readLedger(outDir)
    byEngine.set(suite.name, seen)
  })
  afterAll(() => platform?.close())

  const run = async (report: string, params: Record<string, unknown>, shape: RunShape = {}) => {
    const result = await platform.runReport(SYSTEM_ACTOR, APP, report, params, 'en', shape)
    seen.push(result)
    return result
  }

  it.each(AS_OF)('gives the overdue rate as of %s', async (asOf) => {
    const result = await run('receivables_summary', { asOf })
    expect(result.rows[0]).toMatchObject(summary(ledger, asOf))
  })

  it('gives the collection rate of a month and of the month before', async () => {
    const result = await run('collection_rate', { period: '2024-05-01..2024-05-31' })
    const now = collection(ledger, '2024-05-01', '2024-05-31')
    const before = collection(ledger, '2024-04-01', '2024-04-30')
    expect(result.rows[0]).toMatchObject({
      ...now,
      collected__previous: before.collected,
      collection_rate__previous: before.collection_rate,
    })
    expect(Number(now.collected)).toBeGreaterThan(0)
  })

  it('ranks salespeople by what they collected in the period', async () => {
    const result = await run('salesperson_collection', { period: '2024-04-01..2024-06-30' })
    const people = [...new Set([...ledger.customers.values()].map((one) => one.salesperson))]
    const expected = people
      .map((salesperson) => ({ salesperson, ...collection(ledger, '2024-04-01', '2024-06-30', salesperson) }))
      .filter((row) => Number(row.due) > 0 || Number(row.collected) > 0)
      .sort((a, b) => Number(b.collected) - Number(a.collected))
      .map(({ salesperson, collected, due, collection_rate }) =>
        ({ salesperson, due, collected, collection_rate }))
    expect(result.rows).toEqual(expected)
  })

  it.each(AS_OF)('gives the DSO as of %s', async (asOf) => {
    const result = await run('dso', { asOf })
    expect(result.rows[0]).toEqual(dso(ledger, asOf))
  })

  it('groups open receivables by region, then one region by customer', async () => {
    const regions = await run('receivables_by_region', { asOf: END }, { group: ['region'] })
    const expected = openByRegion(ledger, END)
    expect(new Map(regions.rows.map((row) => [row.region, row.open]))).toEqual(expected)

    const region = String(regions.rows[0].region)
    const customers = await run('receivables_by_region', { asOf: END },
      { group: ['customer'], match: { region } })
    const total = customers.rows.reduce((sum, row) => sum.plus(String(row.open)), new Dec(0))
    expect(total.toFixed(2)).toBe(expected.get(region))
    expect(customers.columns.map((column) => column.key)).toEqual(['customer', 'open', 'overdue', 'invoices'])
  })

  it.each(AS_OF)('expects cash by week as of %s from due dates and lateness', async (asOf) => {
    const result = await run('expected_cash_in', { asOf })
    expect(result.rows).toEqual(expectedCashIn(ledger, asOf, isoWeek))
    expect(result.rows.length).toBeGreaterThan(1)
  })
})

describe('both engines', () => {
  it('give the same KPIs', () => {
    expect(byEngine.get('pglite')?.length).toBe(10)
    expect(byEngine.get('postgres')).toEqual(byEngine.get('pglite'))
  })
})
