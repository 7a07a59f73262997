import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor } from '@tessera/core'
import { databaseSuites } from '@tessera/store/testing'
import { describeApp, Platform, viewForm, visibleApps } from '../src/index.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'
const ROLES = ['administrator', 'finance_clerk', 'finance_director', 'general_manager', 'salesperson']

describe.each(databaseSuites())('template roles on $name', (suite) => {
  let platform: Platform
  const sales: Actor = { id: '17', roles: [`${APP}/salesperson`] }

  const roleSaves = async () => (await sql<{ n: number }>`
    select count(*)::int as n from tessera.audit where action = 'role.save' and app_key = ${APP}`
    .execute(platform.database.db)).rows[0].n

  beforeAll(async () => {
    platform = new Platform(await suite.open())
  })
  afterAll(() => platform?.close())

  it('installs the roles the template lists, checked and audited, once', async () => {
    const result = await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    expect(result.roles).toBe(5)
    expect((await platform.roles.list(APP)).map((r) => r.key)).toEqual(ROLES)
    expect(await roleSaves()).toBe(5)
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    expect(await roleSaves()).toBe(5)
  })

  it('refuses a template whose role names a field the form does not have', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'tessera-template-'))
    cpSync(TEMPLATE, copy, { recursive: true, filter: (path) => !path.includes('node_modules') })
    writeFileSync(join(copy, 'roles', 'general_manager.json'), JSON.stringify({
      key: 'general_manager', label: '总经理',
      forms: { customer: { actions: ['read'], fields: { salary: 'hidden' } } },
    }))
    await expect(platform.installTemplate(copy, SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'metadata.invalid',
      issues: [expect.objectContaining({ field: 'forms.customer.fields.salary', rule: 'unknown_field' })],
    })
  })

  it('shows an actor only the apps, forms, reports and fields their roles allow', async () => {
    expect(await visibleApps(platform, { id: '1', roles: [] })).toEqual([])
    expect((await visibleApps(platform, sales)).map((a) => a.key)).toEqual([APP])
    const overview = await describeApp(platform, sales, APP)
    expect(overview.forms.map((f) => [f.key, f.actions])).toEqual([
      ['customer', ['read', 'update']], ['contract', ['read']], ['order', ['read']],
      ['invoice_request', ['create', 'read']], ['invoice', ['read']], ['receipt', ['read']],
      ['allocation', ['read']], ['write_off', ['read']],
    ])
    expect(overview.dashboards.map((d) => d.key)).toEqual(['receivables'])
    await expect(describeApp(platform, { id: '1' }, APP)).rejects.toMatchObject({ code: 'auth.forbidden' })

    const customer = await viewForm(platform, sales, APP, 'customer')
    const keys = customer.definition.fields.map((f) => f.key)
    expect(keys).not.toContain('credit_limit')
    expect(customer.definition.ui?.sections?.flatMap((s) => s.fields)).not.toContain('credit_limit')
    expect(customer.access).toEqual({ actions: ['read', 'update'], readonly: ['code', 'salesperson', 'owner'] })
    // A salesperson submits invoice requests; finance decides their status.
    const request = await viewForm(platform, sales, APP, 'invoice_request')
    expect(request.access).toEqual({ actions: ['create', 'read'], readonly: ['status'] })
    const full = await viewForm(platform, SYSTEM_ACTOR, APP, 'customer')
    expect(full.definition.fields.map((f) => f.key)).toContain('credit_limit')
  })

  it('keeps dashboard widgets to the reports the actor may run', async () => {
    const role = await platform.roles.get(APP, 'salesperson')
    await platform.roles.save(SYSTEM_ACTOR, APP, { ...role, reports: ['aging_buckets'] })
    type Shown = { widgets: Array<{ report: string; layout: { x: number; y: number; w: number; h: number } }> }
    const dashboard = await platform.dashboardFor(sales, APP, 'receivables') as Shown
    expect(new Set(dashboard.widgets.map((w) => w.report))).toEqual(new Set(['aging_buckets']))
    // The widgets shown move up into the rows of those left out: the aging chart and its donut start the page.
    const stored = await platform.dashboardFor(SYSTEM_ACTOR, APP, 'receivables') as Shown
    expect(Math.min(...stored.widgets.filter((w) => w.report === 'aging_buckets').map((w) => w.layout.y))).toBeGreaterThan(0)
    expect(dashboard.widgets.map((w) => w.layout.y)).toEqual(dashboard.widgets.map(() => 0))
    // An aging as of a date takes no period: the reader is not offered one.
    expect((dashboard as unknown as { params: Array<{ key: string }> }).params.map((p) => p.key)).toEqual(['asOf'])
    const all = await platform.dashboardFor(SYSTEM_ACTOR, APP, 'receivables') as unknown as { params: Array<{ key: string }> }
    expect(all.params.map((p) => p.key)).toEqual(['asOf', 'period'])
    await expect(platform.runReport(sales, APP, 'receivables_summary', {})).rejects.toMatchObject({ code: 'auth.forbidden' })
    await platform.roles.save(SYSTEM_ACTOR, APP, role)
  })
})
