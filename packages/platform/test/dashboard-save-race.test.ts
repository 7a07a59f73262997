import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import type { ReportSpec } from '@tessera/reports'
import { databaseSuites } from '@tessera/store/testing'
import { type DashboardSpec, Platform, checkDashboard, saveDashboard, saveReport } from '../src/index.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'
const ADMIN = { id: 'admin', admin: true }

const report = (measures: string[]): ReportSpec => ({
  key: 'race',
  label: '竞态',
  source: 'invoice',
  dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
  measures: measures.map((key) => key === 'n'
    ? { key, agg: 'count' as const }
    : { key, agg: 'sum' as const, expr: { var: 'amount' } }),
})

/**
 * A report and a dashboard showing it, saved at the same moment by two
 * administrators: the dashboard's new widget uses the measure the report
 * change removes. One of them must be refused; whichever order the
 * database lets them commit in, what is left is a dashboard that runs.
 */
describe.each(databaseSuites())('saving a report and a dashboard showing it at once on $name', (suite) => {
  let platform: Platform

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
  })
  afterAll(() => platform?.close())

  it('never leaves a widget showing a measure its report no longer has', async () => {
    const base = await platform.catalog.getMeta<DashboardSpec>(APP, 'dashboard', 'receivables')
    const widget = { key: 'w_race', type: 'bar' as const, report: 'race', dimension: 'customer', measures: ['n'],
      layout: { x: 0, y: 60, w: 6, h: 4 } }
    let refused = 0
    for (let round = 0; round < 12; round += 1) {
      await saveDashboard(platform, ADMIN, APP, 'receivables', base)
      await saveReport(platform, ADMIN, APP, 'race', report(['amount', 'n']), 'zh-CN')
      const outcomes = await Promise.allSettled([
        saveDashboard(platform, ADMIN, APP, 'receivables', { ...base, widgets: [...base.widgets, widget] }),
        saveReport(platform, ADMIN, APP, 'race', report(['amount']), 'zh-CN'),
      ])
      refused += outcomes.filter((outcome) => outcome.status === 'rejected').length
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, `round ${round}`).toBe(1)
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: expect.stringMatching(/^(metadata|report)\.invalid$/) })
      }
      // What is stored checks: every widget's report has what the widget shows.
      const stored = await platform.catalog.getMeta(APP, 'dashboard', 'receivables')
      const reports = new Map((await platform.catalog.listMetaSpecs<ReportSpec>(APP, 'report')).map((one) => [one.key, one.spec]))
      await expect(checkDashboard(stored, reports, platform.catalog.resolver(APP))).resolves.toBeDefined()
    }
    expect(refused).toBe(12)
  })
})
