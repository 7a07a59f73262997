import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor, type FormDefinition } from '@tessera/core'
import { listFormDesigns } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { Platform, saveDashboard } from '../src/index.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'

/**
 * `tessera start` installs the bundled template at every start. What the
 * people running the app changed since (in the form builder, the dashboard
 * editor, the role pages) must survive it; what nobody touched still
 * follows the template.
 */
describe.each(databaseSuites())('installing a template over an app in use, on $name', (suite) => {
  let platform: Platform
  const admin: Actor = { id: '7', name: '管理员', admin: true }

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    const first = await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    expect(first.kept).toEqual([])
    expect(first.skipped).toEqual([])
  })
  afterAll(() => platform?.close())

  const definition = async (form: string) => (await platform.catalog.getForm(APP, form)).definition

  it('keeps forms, drafts and dashboards changed in the app, and upgrades the rest', async () => {
    // A field added in the form builder and published by an administrator.
    const customer = await definition('customer')
    const vip: FormDefinition['fields'][number] = { key: 'vip', type: 'text', label: '重要客户' }
    await platform.catalog.saveDraft(APP, { ...customer, fields: [...customer.fields, vip] })
    await platform.catalog.publish(APP, ['customer'], admin)
    // A draft of the invoice form, saved but not yet published.
    const invoice = await definition('invoice')
    await platform.catalog.saveDraft(APP, { ...invoice, label: { 'zh-CN': '销售发票' } })
    // A widget taken off the dashboard.
    const board = await platform.catalog.getMeta<{ widgets: Array<{ key: string }> }>(APP, 'dashboard', 'receivables')
    await saveDashboard(platform, admin, APP, 'receivables', { ...board, widgets: board.widgets.filter((w) => w.key !== 'dso') })
    // A report nobody changed but which differs from the template (an older template's, say).
    const summary = await platform.catalog.getMeta<{ label: unknown }>(APP, 'report', 'receivables_summary')
    await platform.catalog.putMeta(APP, 'report', 'receivables_summary', { ...summary, label: '旧版汇总' }, SYSTEM_ACTOR)

    const again = await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)

    expect(again.kept).toEqual([
      { kind: 'form', key: 'customer', by: '7' },
      { kind: 'form', key: 'invoice', by: 'draft' },
      { kind: 'dashboard', key: 'receivables', by: '7' },
    ])
    expect(again.skipped).toEqual([])
    expect((await definition('customer')).fields.map((field) => field.key)).toContain('vip')
    const design = await platform.catalog.findMeta<{ widgets: Array<{ key: string }> }>(APP, 'dashboard', 'receivables')
    expect(design?.widgets.map((w) => w.key)).not.toContain('dso')
    // The draft is still there, unpublished.
    const [row] = await platform.database.db.selectFrom('tessera.form')
      .select(['draft']).where('app_key', '=', APP).where('key', '=', 'invoice').execute()
    expect((row as { draft: FormDefinition }).draft.label).toEqual({ 'zh-CN': '销售发票' })
    // What nobody else touched follows the template again.
    expect((await platform.catalog.getMeta<{ label: unknown }>(APP, 'report', 'receivables_summary')).label)
      .toEqual(summary.label)
  })

  it('leaves out a template report that no longer fits a kept form, and says so', async () => {
    // The administrator takes the region field off the customer form.
    const customer = await definition('customer')
    await platform.catalog.saveDraft(APP, withoutField(customer, 'region'))
    await platform.catalog.publish(APP, ['customer'], admin)

    const again = await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)

    expect(again.skipped.map((one) => `${one.kind}:${one.key}`)).toContain('report:receivables_by_region')
    expect(again.skipped.find((one) => one.key === 'receivables_by_region')?.problem).toContain('region')
    // The stored report is left as it was; the app still runs what fits.
    expect(await platform.catalog.findMeta(APP, 'report', 'receivables_by_region')).toBeDefined()
    expect(again.reports).toBeGreaterThan(0)

    // A newer template changes the contract form, which looks up the
    // customer's region: it cannot be published over the kept customer form,
    // so it stays at its version, with no draft left behind, and is listed.
    const copy = mkdtempSync(join(tmpdir(), 'tessera-template-'))
    cpSync(TEMPLATE, copy, { recursive: true, filter: (path) => !path.includes('node_modules') })
    const contractFile = join(copy, 'forms', 'contract.json')
    const contract = JSON.parse(readFileSync(contractFile, 'utf8')) as FormDefinition
    writeFileSync(contractFile, JSON.stringify({ ...contract, label: { 'zh-CN': '销售合同' } }))
    const before = (await platform.catalog.getForm(APP, 'contract')).version

    const newer = await platform.installTemplate(copy, SYSTEM_ACTOR)

    expect(newer.skipped.map((one) => `${one.kind}:${one.key}`)).toContain('form:contract')
    expect((await platform.catalog.getForm(APP, 'contract')).version).toBe(before)
    const designs = await listFormDesigns(platform.database.db, APP)
    expect(designs.find((one) => one.key === 'contract')?.unpublishedChanges).toBe(false)
  })

  it('leaves out a template report opening a kept report that no longer takes its params', async () => {
    // An administrator renamed the ledger's customer param (its statement is taken off first).
    const ledger = await platform.catalog.getMeta<{ params: Array<{ key: string }>; where: unknown }>(APP, 'report', 'customer_ledger')
    const renamed = { ...ledger, params: [{ ...ledger.params[0], key: 'who' }, ledger.params[1]],
      where: JSON.parse(JSON.stringify(ledger.where).replace('"param":"customer"', '"param":"who"')) }
    await platform.catalog.putMeta(APP, 'report', 'customer_ledger', renamed, admin)

    const again = await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)

    expect(again.kept).toContainEqual({ kind: 'report', key: 'customer_ledger', by: '7' })
    const skipped = again.skipped.find((one) => one.key === 'customer_statement')
    expect(skipped?.problem).toContain('customer')
    // The statement stays as it was stored, opening the ledger by the name it was given.
    expect((await platform.catalog.getMeta<{ params: Array<{ key: string }> }>(APP, 'report', 'customer_ledger')).params
      .map((param) => param.key)).toEqual(['who', 'period'])
  })
})

/** A form without one field, and without it in the layout and list settings that name it. */
function withoutField(form: FormDefinition, key: string): FormDefinition {
  const ui = form.ui && {
    ...form.ui,
    ...(form.ui.sections ? { sections: form.ui.sections.map((section) => ({ ...section, fields: section.fields.filter((one) => one !== key) })) } : {}),
    ...(form.ui.list ? { list: { ...form.ui.list, columns: form.ui.list.columns?.filter((one) => one !== key) } } : {}),
    ...(form.ui.picker ? { picker: { fields: form.ui.picker.fields?.filter((one) => one !== key) } } : {}),
  }
  return { ...form, fields: form.fields.filter((field) => field.key !== key), ...(ui ? { ui } : {}) }
}

describe.each(databaseSuites())('a fresh install stopped by a misfit, on $name', (suite) => {
  let platform: Platform
  beforeAll(async () => {
    platform = new Platform(await suite.open())
  })
  afterAll(() => platform?.close())

  it('takes back the forms it published, so the fixed template installs from nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-misfit-'))
    cpSync(TEMPLATE, dir, { recursive: true, filter: (source) => !source.includes('node_modules') })
    const rolePath = join(dir, 'roles', 'salesperson.json')
    const role = JSON.parse(readFileSync(rolePath, 'utf8'))
    writeFileSync(rolePath, JSON.stringify({ ...role, reports: [...role.reports, 'no_such_report'] }))

    await expect(platform.installTemplate(dir, SYSTEM_ACTOR)).rejects.toMatchObject({ code: 'metadata.invalid' })
    expect(await platform.catalog.findApp(APP)).toBeUndefined()
    const schemas = await platform.database.db.selectFrom('information_schema.schemata' as never)
      .select('schema_name' as never).where('schema_name' as never, '=', 'customer_settlement' as never).execute()
    expect(schemas).toEqual([])

    writeFileSync(rolePath, JSON.stringify(role))
    const fixed = await platform.installTemplate(dir, SYSTEM_ACTOR)
    expect(fixed.published.map((one) => one.form)).toContain('invoice')
    expect(fixed.roles).toBeGreaterThan(0)
  })
})
