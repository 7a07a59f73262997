import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { sql } from 'kysely'
import { createTestServer, type SignedIn, type TestServer } from './support.js'

const APP = '/api/apps/shop'
const DESIGNS = `${APP}/form-designs`

const customer = {
  key: 'customer',
  label: '客户',
  titleField: 'name',
  fields: [{ key: 'name', type: 'text', label: '名称', required: true }],
}

/** A new form as the builder would save it: lines, a formula, a condition. */
const order = {
  key: 'order',
  label: { 'zh-CN': '订单', en: 'Order' },
  titleField: 'ref',
  fields: [
    { key: 'ref', type: 'text', label: '单号', required: true },
    { key: 'customer', type: 'link', form: 'customer', label: '客户' },
    { key: 'hours', type: 'text', label: '工时' },
    { key: 'urgent', type: 'boolean', label: '加急' },
    { key: 'reason', type: 'text', label: '加急原因',
      visibleWhen: { '==': [{ var: 'urgent' }, true] }, requiredWhen: { '==': [{ var: 'urgent' }, true] } },
    { key: 'items', type: 'lines', label: '明细', fields: [
      { key: 'qty', type: 'number', label: '数量', integer: true },
      { key: 'price', type: 'money', label: '单价' },
      { key: 'amount', type: 'formula', label: '金额', result: 'money',
        expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] } },
    ] },
    { key: 'total', type: 'rollup', label: '合计', lines: 'items', agg: 'sum', field: 'amount' },
  ],
  ui: { sections: [{ title: '订单', columns: 2, fields: ['ref', 'customer', 'hours', 'urgent', 'reason'] }] },
}

type Json = Record<string, any>

describe.each(databaseSuites())('form builder API on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let clerk: SignedIn

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.catalog.saveApp({ key: 'shop', label: '小店' })
    await platform.catalog.saveDraft('shop', customer)
    await platform.catalog.publish('shop', ['customer'], SYSTEM_ACTOR)
    server = await createTestServer(platform)
    clerk = await server.createUser({ username: 'clerk', displayName: '店员' })
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, status = 200) => {
    const response = await server.inject({ method, url, payload: payload as never })
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status)
    return response.json() as Json
  }
  const tableExists = async (name: string) => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
      where table_schema = 'shop' and table_name = ${name}`.execute(platform.database.db)
    return rows[0].n > 0
  }

  it('refuses everyone but administrators (403), and changes nothing for them', async () => {
    const attempts = [
      { method: 'GET' as const, url: DESIGNS },
      { method: 'GET' as const, url: `${DESIGNS}/customer` },
      { method: 'POST' as const, url: DESIGNS, payload: { ...order, key: 'sneaky' } },
      { method: 'PUT' as const, url: `${DESIGNS}/customer`, payload: { ...customer, label: '改' } },
      { method: 'POST' as const, url: `${DESIGNS}/customer/preview`, payload: {} },
      { method: 'POST' as const, url: `${DESIGNS}/customer/publish` },
    ]
    for (const attempt of attempts) {
      const response = await clerk.inject(attempt)
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(403)
      expect(response.json().error.code).toBe('auth.forbidden')
    }
    const design = await call('GET', `${DESIGNS}/customer`)
    expect(design.definition.label).toBe('客户')
    expect((await call('GET', DESIGNS)).map((f: Json) => f.key)).toEqual(['customer'])
  })

  it('round-trips a draft and names the path of each problem in a bad one', async () => {
    const created = await call('POST', DESIGNS, order, 201)
    expect(created).toMatchObject({ key: 'order', publishedVersion: null, unpublishedChanges: true })
    expect(created.definition).toEqual(order)
    expect((await call('GET', `${DESIGNS}/order`)).definition).toEqual(order)

    const again = await server.inject({ method: 'POST', url: DESIGNS, payload: order })
    expect(again.statusCode).toBe(400)
    expect(again.json().error.issues).toEqual([expect.objectContaining({ field: 'key', rule: 'unique' })])

    const bad = structuredClone(order) as Json
    bad.fields[5].fields[0].type = 'colour'
    bad.fields[1].form = 'nowhere'
    bad.fields[4].visibleWhen = { '==': [{ var: 'missing_field' }, true] }
    const refused = await server.inject({ method: 'PUT', url: `${DESIGNS}/order`, payload: bad })
    expect(refused.statusCode).toBe(400)
    const error = refused.json().error
    expect(error.code).toBe('metadata.invalid')
    const paths = error.issues.map((issue: Json) => issue.field)
    expect(paths).toContain('fields[5].fields[0].type')
    expect(paths).toContain('fields[1].form')
    expect(paths).toContain('fields[4].visibleWhen.==[0].var')
    expect((await call('GET', `${DESIGNS}/order`)).definition).toEqual(order)

    const wrongKey = await server.inject({ method: 'PUT', url: `${DESIGNS}/order`, payload: { ...order, key: 'other' } })
    expect(wrongKey.statusCode).toBe(400)
    expect(wrongKey.json().error.code).toBe('request.invalid')
  })

  it('previews the first publish without creating anything, then publishes exactly that', async () => {
    const preview = await call('POST', `${DESIGNS}/order/preview`, {})
    expect(preview).toMatchObject({ form: 'order', isNew: true, changed: true, version: 1 })
    expect(preview.problem).toBeUndefined()
    expect(preview.added.map((f: Json) => f.path)).toEqual(['ref', 'customer', 'hours', 'urgent', 'reason', 'total'])
    expect(preview.linesAdded.map((f: Json) => f.path)).toEqual(['items'])
    expect(await tableExists('order')).toBe(false)
    expect((await call('GET', APP)).forms.map((f: Json) => f.key)).toEqual(['customer'])

    const published = await call('POST', `${DESIGNS}/order/publish`)
    expect(published.version).toBe(1)
    expect(published.changes).toEqual(preview)
    expect(await tableExists('order')).toBe(true)

    const app = await call('GET', APP)
    const listed = app.forms.find((f: Json) => f.key === 'order')
    expect(listed.actions).toEqual(expect.arrayContaining(['read', 'create', 'update', 'delete']))
    const audit = await call('GET', '/api/admin/audit?action=form.publish')
    expect(audit.items).toEqual([expect.objectContaining({
      action: 'form.publish', app: 'shop', form: 'order', before: null,
      context: expect.objectContaining({ version: 1, added: 6, linesAdded: 1 }),
    })])
    const design = await call('GET', `${DESIGNS}/order`)
    expect(design).toMatchObject({ publishedVersion: 1, unpublishedChanges: false })
    expect(design.definition.fields[0].column).toBe('ref')
  })

  it('previews a rename, a retype blocked by a record, then converting, as publish does it', async () => {
    const person = await call('POST', `${APP}/forms/customer/records`, { values: { name: '王五' } }, 201)
    const make = (ref: string, hours: string) => call('POST', `${APP}/forms/order/records`, {
      values: { ref, customer: person.id, hours, items: [{ qty: 2, price: '3.50' }] },
    }, 201)
    const good = await make('A-1', '12')
    const blocker = await make('A-2', '十二')

    const design = (await call('GET', `${DESIGNS}/order`)).definition
    const hours = design.fields.find((f: Json) => f.key === 'hours')
    Object.assign(hours, { key: 'work_hours', type: 'number', integer: true, label: '工时（小时）' })
    design.fields.find((f: Json) => f.key === 'ref').label = { 'zh-CN': '订单号', en: 'Order number' }
    design.fields.splice(2, 0, { key: 'note', type: 'text', label: '备注', multiline: true })
    design.ui.sections[0].fields = ['ref', 'customer', 'work_hours', 'note', 'urgent', 'reason']
    await call('PUT', `${DESIGNS}/order`, design)
    expect((await call('GET', DESIGNS)).find((f: Json) => f.key === 'order').unpublishedChanges).toBe(true)

    const blocked = await call('POST', `${DESIGNS}/order/preview`, {})
    expect(blocked.renamed).toEqual([expect.objectContaining({ from: 'hours', key: 'work_hours', column: 'hours' })])
    expect(blocked.retyped).toEqual([expect.objectContaining({
      path: 'work_hours', from: 'text', type: 'number', status: 'blocked', blocking: [blocker.id], count: 1,
    })])
    expect(blocked.added.map((f: Json) => f.key)).toEqual(['note'])
    expect(blocked.edited).toEqual(expect.arrayContaining([
      expect.objectContaining({ key: 'ref', changes: ['label'] }),
    ]))
    expect(blocked.layoutChanged).toBe(true)
    expect(blocked.problem.code).toBe('metadata.invalid')

    const refused = await server.inject({ method: 'POST', url: `${DESIGNS}/order/publish` })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.details.blocking).toEqual([blocker.id])

    await call('PATCH', `${APP}/forms/order/records/${blocker.id}`, { values: { hours: ' 12 ' }, version: blocker.version })
    const preview = await call('POST', `${DESIGNS}/order/preview`, {})
    expect(preview.problem).toBeUndefined()
    expect(preview.retyped[0]).toMatchObject({ status: 'converts', fromSql: 'text', toSql: 'bigint' })
    const published = await call('POST', `${DESIGNS}/order/publish`)
    expect(published).toMatchObject({ version: 2 })
    expect(published.changes).toEqual(preview)

    const record = await call('GET', `${APP}/forms/order/records/${good.id}`)
    expect(record.values).toMatchObject({ ref: 'A-1', work_hours: 12, note: null, total: '7.00' })
    expect(record.values.items).toEqual([expect.objectContaining({ qty: 2, price: '3.50', amount: '7.00' })])
    expect((await call('GET', `${APP}/forms/order/records/${blocker.id}`)).values.work_hours).toBe(12)
  })

  it('previews an unsaved definition from the body and leaves the stored draft alone', async () => {
    const stored = (await call('GET', `${DESIGNS}/order`)).definition
    const changed = structuredClone(stored)
    changed.fields = changed.fields.filter((f: Json) => f.key !== 'note')
    changed.ui.sections[0].fields = changed.ui.sections[0].fields.filter((k: string) => k !== 'note')
    const preview = await call('POST', `${DESIGNS}/order/preview`, { definition: changed })
    expect(preview.retired.map((f: Json) => f.key)).toEqual(['note'])
    expect(preview.version).toBe(3)
    expect(await call('GET', `${DESIGNS}/order`)).toMatchObject({ unpublishedChanges: false, definition: stored })

    const same = await call('POST', `${DESIGNS}/order/preview`, {})
    expect(same).toMatchObject({ changed: false, version: null, added: [], retired: [] })
    const bare = await server.inject({ method: 'POST', url: `${DESIGNS}/order/preview` })
    expect(bare.statusCode, bare.body).toBe(200)
    expect(bare.json()).toEqual(same)
    const junk = await server.inject({ method: 'POST', url: `${DESIGNS}/order/preview`, payload: { definition: 'x' } })
    expect(junk.statusCode).toBe(400)
    expect(junk.json().error.code).toBe('request.invalid')
  })

  it('counts the stored records a field made required leaves empty, in the preview and the publish', async () => {
    const stored = (await call('GET', `${DESIGNS}/order`)).definition
    const design = structuredClone(stored)
    design.fields.find((f: Json) => f.key === 'note').required = true
    const preview = await call('POST', `${DESIGNS}/order/preview`, { definition: design })
    // Both orders made above have no note.
    expect(preview.emptyRequired).toEqual([expect.objectContaining({ key: 'note', count: 2 })])
    // Already required, or filled everywhere: nothing to say.
    const same = await call('POST', `${DESIGNS}/order/preview`, {})
    expect(same.emptyRequired).toBeUndefined()
  })

  it('lists the form settings a publish changes', async () => {
    const design = structuredClone((await call('GET', `${DESIGNS}/order`)).definition)
    design.description = { 'zh-CN': '客户的订单', en: 'Customer orders' }
    design.ui = { ...design.ui, list: { columns: ['ref'], defaultSort: [{ field: 'ref', dir: 'asc' }] } }
    const preview = await call('POST', `${DESIGNS}/order/preview`, { definition: design })
    expect(preview.settings).toEqual(['description', 'list'])
    expect(preview.layoutChanged).toBe(false)
  })

  it('names the field when records hold duplicates of a value made unique: 409, never a 500', async () => {
    const person = await call('POST', `${APP}/forms/customer/records`, { values: { name: '赵六' } }, 201)
    const first = await call('POST', `${APP}/forms/order/records`, { values: { ref: 'A-1', customer: person.id } }, 201)
    const design = (await call('GET', `${DESIGNS}/order`)).definition
    design.fields.find((f: Json) => f.key === 'ref').unique = true
    await call('PUT', `${DESIGNS}/order`, design)

    const preview = await call('POST', `${DESIGNS}/order/preview`, {})
    expect(preview.edited).toEqual([expect.objectContaining({ key: 'ref', changes: ['unique'] })])
    expect(preview.problem).toMatchObject({ code: 'conflict.unique', details: { fields: ['ref'] } })
    // Worded in Chinese too, naming the field by label and the records that hold the same value.
    const [pair] = preview.problem.details.duplicates as number[][]
    expect(pair).toContain(first.id)
    const ref = design.fields.find((f: Json) => f.key === 'ref').label
    expect(preview.problem.messages['zh-CN'])
      .toBe(`无法让「${typeof ref === 'string' ? ref : ref['zh-CN']}」取值唯一：已有记录取值相同（#${pair[0]} 与 #${pair[1]}），请先修改这些记录再发布`)
    const refused = await server.inject({ method: 'POST', url: `${DESIGNS}/order/publish` })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error).toMatchObject({ code: 'conflict.unique', issues: [expect.objectContaining({ field: 'ref' })] })
    expect((await call('GET', `${APP}/forms/order`)).version).toBe(2)
  })

  it('names line fields by their path in the summary, and checks their type changes too', async () => {
    const ticket = {
      key: 'ticket', label: '工单',
      fields: [{ key: 'title', type: 'text', label: '标题' },
        { key: 'rows', type: 'lines', label: '工时', fields: [
          { key: 'note', type: 'text', label: '说明' }, { key: 'hours', type: 'text', label: '小时' }] }],
    }
    await call('POST', DESIGNS, ticket, 201)
    await call('POST', `${DESIGNS}/ticket/publish`)
    await call('POST', `${APP}/forms/ticket/records`, { values: { title: 'A', rows: [{ hours: '3' }] } }, 201)
    const blocker = await call('POST', `${APP}/forms/ticket/records`,
      { values: { title: 'B', rows: [{ hours: '3' }, { hours: '三' }] } }, 201)

    const design = (await call('GET', `${DESIGNS}/ticket`)).definition
    const rows = design.fields[1]
    rows.fields[0] = { ...rows.fields[0], key: 'remark' }
    rows.fields[1] = { ...rows.fields[1], type: 'number', integer: true }
    rows.fields.push({ key: 'rate', type: 'money', label: '费率' })
    await call('PUT', `${DESIGNS}/ticket`, design)
    const preview = await call('POST', `${DESIGNS}/ticket/preview`, {})
    expect(preview.renamed).toEqual([expect.objectContaining({ path: 'rows.remark', from: 'note' })])
    expect(preview.added).toEqual([expect.objectContaining({ path: 'rows.rate' })])
    expect(preview.retyped).toEqual([expect.objectContaining({
      path: 'rows.hours', status: 'blocked', count: 1, blocking: [blocker.id],
    })])
    expect(preview.problem.code).toBe('metadata.invalid')
  })
  it('warns, before and at the publish, of the reports a renamed field stops, with the dashboards showing them', async () => {
    await platform.catalog.saveDraft('shop', {
      key: 'lead', label: { 'zh-CN': '线索', en: 'Lead' }, titleField: 'name',
      fields: [
        { key: 'name', type: 'text', label: '名称', required: true },
        { key: 'urgent', type: 'boolean', label: '加急' },
      ],
    })
    await platform.catalog.publish('shop', ['lead'], SYSTEM_ACTOR)
    const report = {
      key: 'urgent_leads', label: { 'zh-CN': '加急线索', en: 'Urgent leads' }, source: 'lead',
      dimensions: [{ key: 'urgent', expr: { var: 'urgent' } }], measures: [{ key: 'n', agg: 'count', type: 'integer' }],
    }
    await call('PUT', `${APP}/reports/urgent_leads`, report)
    await call('PUT', `${APP}/dashboards/leads`, {
      key: 'leads', label: { 'zh-CN': '线索看板', en: 'Leads board' },
      widgets: [{ key: 'urgent', type: 'bar', report: 'urgent_leads', dimension: 'urgent', measures: ['n'], layout: { x: 0, y: 0, w: 6, h: 4 } }],
    })
    // A role whose rule on the form names the field: refused when saved as it reads once it is renamed.
    const role = { key: 'lead_reader', label: { 'zh-CN': '线索查看', en: 'Lead reader' },
      forms: { lead: { actions: ['read'], fields: { urgent: 'readonly' } } } }
    await call('PUT', '/api/admin/apps/shop/roles/lead_reader', role)
    const design = (await call('GET', `${DESIGNS}/lead`)).definition
    Object.assign(design.fields.find((f: Json) => f.key === 'urgent'), { key: 'rush' })
    const preview = await call('POST', `${DESIGNS}/lead/preview`, { definition: design })
    expect(preview.problem).toBeUndefined()
    expect(preview.rolesNaming).toEqual([{ role: 'lead_reader', label: role.label, fields: ['urgent'] }])
    expect(preview.reportsBroken).toEqual([{
      report: 'urgent_leads', label: report.label,
      messages: { 'zh-CN': expect.stringContaining('urgent'), en: expect.stringContaining('urgent') },
      dashboards: [{ key: 'leads', label: { 'zh-CN': '线索看板', en: 'Leads board' } }],
    }])
    // Each language says it in its own words.
    expect(preview.reportsBroken[0].messages.en).not.toMatch(/[\u4e00-\u9fff]/)
    expect(preview.reportsBroken[0].messages['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
    // A change no report minds warns of none.
    const harmless = (await call('GET', `${DESIGNS}/lead`)).definition
    harmless.fields.find((f: Json) => f.key === 'name').label = '线索名称'
    const calm = await call('POST', `${DESIGNS}/lead/preview`, { definition: harmless })
    expect([calm.reportsBroken, calm.rolesNaming]).toEqual([undefined, undefined])

    await call('PUT', `${DESIGNS}/lead`, design)
    const published = await call('POST', `${DESIGNS}/lead/publish`)
    expect(published.changes.reportsBroken).toEqual(preview.reportsBroken)
    expect(published.changes.rolesNaming).toEqual(preview.rolesNaming)
    expect((await server.inject({ method: 'DELETE', url: '/api/admin/apps/shop/roles/lead_reader' })).statusCode).toBe(204)
    // The report now refuses to run, in the reader's language whichever language it was checked in.
    const english = await server.inject({ url: `${APP}/reports/urgent_leads/run`, headers: { 'accept-language': 'en' } })
    expect(english.statusCode).toBe(400)
    expect(english.json().error.message).not.toMatch(/[\u4e00-\u9fff]/)
    expect(english.json().error.issues[0].message).not.toMatch(/[\u4e00-\u9fff]/)
    const widget = await server.inject({ url: `${APP}/dashboards/leads/widgets/urgent/run`, headers: { 'accept-language': 'en' } })
    expect(widget.statusCode).toBe(400)
    expect(widget.json().error.message).not.toMatch(/[\u4e00-\u9fff]/)
  })
  it('warns of options taken out that stored records still hold, counting records (a line\'s, its record), before and at the publish', async () => {
    const options = [{ value: 'travel', label: '差旅' }, { value: 'meal', label: '餐费' }, { value: 'transport', label: '交通' }]
    await platform.catalog.saveDraft('shop', {
      key: 'claim', label: '报销', fields: [
        { key: 'title', type: 'text', label: '事由' },
        { key: 'kind', type: 'select', label: '类型', options },
        { key: 'tags', type: 'multiselect', label: '标签', options },
        { key: 'lines', type: 'lines', label: '明细', fields: [
          { key: 'category', type: 'select', label: '费用类别', options },
          { key: 'amount', type: 'money', label: '金额' },
        ] },
      ],
    })
    await platform.catalog.publish('shop', ['claim'], SYSTEM_ACTOR)
    const claim = (values: Json) => call('POST', `${APP}/forms/claim/records`, { values }, 201)
    await claim({ title: 'A', kind: 'transport', tags: ['meal', 'transport'],
      lines: [{ category: 'transport', amount: '1.00' }, { category: 'transport', amount: '2.00' }] })
    await claim({ title: 'B', kind: 'meal', tags: ['travel'], lines: [{ category: 'transport', amount: '3.00' }] })
    await claim({ title: 'C', kind: 'travel', lines: [{ category: 'meal', amount: '4.00' }] })

    const design = (await call('GET', `${DESIGNS}/claim`)).definition
    const without = (list: Json[]) => list.filter((option) => option.value !== 'transport')
    design.fields.find((f: Json) => f.key === 'kind').options = without(options)
    design.fields.find((f: Json) => f.key === 'tags').options = without(options)
    design.fields.find((f: Json) => f.key === 'lines').fields[0].options = without(options)
    const preview = await call('POST', `${DESIGNS}/claim/preview`, { definition: design })
    expect(preview.problem).toBeUndefined()
    expect(preview.optionsInUse).toEqual([
      expect.objectContaining({ path: 'kind', options: ['transport'], count: 1 }),
      expect.objectContaining({ path: 'tags', options: ['transport'], count: 1 }),
      expect.objectContaining({ path: 'lines.category', options: ['transport'], count: 2 }),
    ])
    await call('PUT', `${DESIGNS}/claim`, design)
    const published = await call('POST', `${DESIGNS}/claim/publish`)
    expect(published.changes.optionsInUse).toEqual(preview.optionsInUse)
    // An option added, none taken out: no warning.
    const more = (await call('GET', `${DESIGNS}/claim`)).definition
    more.fields.find((f: Json) => f.key === 'kind').options.push({ value: 'gift', label: '礼品' })
    expect((await call('POST', `${DESIGNS}/claim/preview`, { definition: more })).optionsInUse).toBeUndefined()
  })
})
