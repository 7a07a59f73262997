import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { loadDemo, Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, saveRole, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = '/api/apps/customer-settlement'

// Values that only Postgres itself can refuse (out of range, NUL, year 0)
// are the client's bad input: a 400 in the reader's language, never a 500,
// and nothing written.
describe.each(databaseSuites())('values the database refuses, on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let customerId: number

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-bad-')), size: 30, end: '2026-06-30', actor: SYSTEM_ACTOR,
    })
    server = await createTestServer(platform)
    customerId = (await server.inject({ url: `${APP}/forms/customer/records?pageSize=1` })).json().items[0].id
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  const invoice = (values: Record<string, unknown>) => ({
    method: 'POST' as const,
    url: `${APP}/forms/invoice/records`,
    payload: { values: { number: 'BAD-1', customer: customerId, invoice_date: '2026-01-01', due_date: '2026-02-01', amount: '1.00', ...values } },
  })

  it('answers 400, not 500, and writes nothing', async () => {
    const count = async () => (await server.inject({ url: `${APP}/forms/invoice/records?pageSize=1` })).json().total
    const before = await count()
    const attempts = [
      invoice({ customer: 99999999999999999999 }),
      invoice({ contract_no: 'a\u0000b' }),
      invoice({ invoice_date: '0000-01-01' }),
      { method: 'GET' as const, url: `${APP}/forms/invoice/records/99999999999999999999` },
      { method: 'GET' as const, url: `${APP}/forms/invoice/records?filter=${encodeURIComponent('{">=":[{"var":"amount"},"abc"]}')}` },
      { method: 'GET' as const, url: `${APP}/forms/invoice/records?filter=${encodeURIComponent('{">=":[{"var":"invoice_date"},"not-a-date"]}')}` },
    ]
    for (const attempt of attempts) {
      const response = await server.inject(attempt)
      const label = `${attempt.method} ${attempt.url} ${JSON.stringify((attempt as { payload?: unknown }).payload ?? '')}`
      expect(response.statusCode, label).toBeGreaterThanOrEqual(400)
      expect(response.statusCode, label).toBeLessThan(500)
    }
    expect(await count()).toBe(before)
  })

  it('takes ids and other whole numbers in paths, queries and bodies only as plain decimal digits', async () => {
    // Read loosely, 0x10 was record 16 and "3001 " record 3001: a typo reached another record.
    const existing = (await server.inject({ url: `${APP}/forms/invoice/records?pageSize=1` })).json().items[0].id as number
    expect((await server.inject({ url: `${APP}/forms/invoice/records/${existing}` })).statusCode).toBe(200)
    for (const id of ['0x10', '1e3', `${existing}%20`, `0${existing}`, '9e99', '99999999999999999999', '1.0']) {
      const response = await server.inject({ url: `${APP}/forms/invoice/records/${id}` })
      expect(response.statusCode, id).toBe(400)
      expect(response.json().error.issues[0], id).toMatchObject({ field: 'params.id', rule: 'wholeNumber' })
      expect(response.json().error.message, id).toMatch(/^请求的 params\.id 应为十进制数字写的整数（最大 9007199254740991），收到 "/)
    }
    const page = await server.inject({ url: `${APP}/forms/invoice/records?page=0x2`, headers: { 'accept-language': 'en' } })
    expect(page.statusCode).toBe(400)
    expect(page.json().error.message).toBe('query.page must be a whole number written in decimal digits, at most 9007199254740991, got "0x2"')
    const body = await server.inject({ method: 'POST', url: '/api/admin/users', payload: { username: 'nine', password: 'nine-nine-nine-9!', displayName: '九', departmentId: 9e99 } })
    expect(body.statusCode).toBe(400)
    expect(body.json().error.issues[0]).toMatchObject({ field: 'body.departmentId', rule: 'wholeNumber' })
    // Sent as text, a JSON body's whole number is read by the same rule.
    for (const departmentId of ['0x1', '1e0', '+1', '01', '1.0', ' 1']) {
      const loose = await server.inject({ method: 'POST', url: '/api/admin/users', payload: { username: 'nine', password: 'nine-nine-nine-9!', displayName: '九', departmentId } })
      expect(loose.statusCode, departmentId).toBe(400)
      expect(loose.json().error.issues[0], departmentId).toMatchObject({ field: 'body.departmentId', rule: 'wholeNumber' })
    }
    const drill = await server.inject({ url: `${APP}/reports/aging/drill?limit=0x10` })
    expect(drill.statusCode).toBe(400)
    expect(drill.json().error.message).toContain('limit 须为 1 到')
    const audit = await server.inject({ url: '/api/admin/audit?from=2026-02-30' })
    expect(audit.statusCode).toBe(400)
    expect(audit.json().error.message).toBe('起始日期（from）应为存在的日期 YYYY-MM-DD 或带时区的 ISO 时间，收到 "2026-02-30"')
  })

  it('names the link and the total when a rollup over it would no longer fit its column', async () => {
    const created = async (form: string, values: Record<string, unknown>) => {
      const response = await server.inject({ method: 'POST', url: `${APP}/forms/${form}/records`, payload: { values } })
      expect(response.statusCode, response.body).toBe(201)
      return response.json().id as number
    }
    const contract = await created('contract', {
      number: 'HUGE-1', customer: customerId, signed_on: '2026-01-05', amount: '999999999999999999.99',
    })
    const order = (price: string) => ({
      customer: customerId, contract, order_date: '2026-01-06', items: [{ product: '钢材', quantity: 1, unit_price: price }],
    })
    await created('order', order('999999999999999999.99'))
    const count = async () => (await server.inject({ url: `${APP}/forms/order/records?pageSize=1` })).json().total
    const before = await count()
    const over = await server.inject({ method: 'POST', url: `${APP}/forms/order/records`, payload: { values: order('0.01') } })
    expect(over.statusCode).toBe(400)
    expect(over.json().error).toMatchObject({ code: 'validation.failed' })
    expect(over.json().error.issues).toEqual([expect.objectContaining({
      field: 'contract', rule: 'range', message: '「合同」：合同的「已下单金额」合计将超出可存储的范围（整数部分最多 18 位）',
    })])
    expect(await count()).toBe(before)
  })

  it('words a bad cursor, a bad view and a wrong current password in Chinese', async () => {
    const cursor = await server.inject({ url: `${APP}/forms/invoice/records?after=junk` })
    expect(cursor.statusCode).toBe(400)
    expect(cursor.json().error.message).toBe('after：应为列表页的 next 或 prev 给出的游标，收到「junk」')
    const view = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/views`, payload: { name: '逾期', spec: { sort: 5 } } })
    expect(view.statusCode).toBe(400)
    expect(view.json().error.message).toBe('spec.sort：应为形如 "-amount" 的文本，收到 5')
    const password = await server.inject({
      method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-my-password-1!', newPassword: 'another-long-one-2026!' },
    })
    expect(password.statusCode).toBe(400)
    expect(password.json().error.message).toBe('当前密码不正确')
  })

  it('echoes only the start of a long refused text', async () => {
    const long = '长'.repeat(200_000)
    const response = await server.inject({ method: 'POST', url: `${APP}/forms/customer/records`, payload: { values: { code: 'LONG-1', name: long } } })
    expect(response.statusCode).toBe(400)
    const issue = response.json().error.issues.find((one: { field: string }) => one.field === 'name')
    expect(issue.received).toBe(`${'长'.repeat(200)}…`)
    expect(response.body.length).toBeLessThan(5_000)
  })

  it('refuses a body text no database can store, naming where it is, before any route reads it', async () => {
    const board = (await server.inject({ url: `${APP}/dashboards/receivables` })).json()
    const cases: Array<[request: Parameters<typeof server.inject>[0], field: string]> = [
      [{ method: 'PUT', url: `${APP}/dashboards/receivables`, payload: { ...board, label: 'a\ud800b' } }, 'body.label'],
      [{ method: 'PUT', url: `${APP}/dashboards/receivables`,
        payload: { ...board, widgets: [{ ...board.widgets[0], title: { 'zh-CN': 'x\u0000' } }, ...board.widgets.slice(1)] } },
      'body.widgets[0].title.zh-CN'],
      [invoice({ contract_no: 'a\u0000b' }), 'body.values.contract_no'],
      [invoice({ contract_no: '\udc00' }), 'body.values.contract_no'],
    ]
    for (const [request, field] of cases) {
      const response = await server.inject(request)
      expect(response.statusCode, field).toBe(400)
      expect(response.json().error.issues[0], field).toMatchObject({ field, rule: 'characters' })
      expect(response.json().error.message, field).toContain('不成对的代理项')
    }
    // A pair of surrogates is one character, and fine.
    const fine = await server.inject(invoice({ number: 'EMOJI-1', contract_no: '合同😀' }))
    expect(fine.statusCode, fine.body).toBe(201)
  })

  it('words conflicts in the reader’s language', async () => {
    const created = (await server.inject(invoice({ number: 'BAD-2' }))).json()
    await server.inject({ method: 'PATCH', url: `${APP}/forms/invoice/records/${created.id}`, payload: { version: 1, values: { amount: '2.00' } } })
    const stale = await server.inject({ method: 'PATCH', url: `${APP}/forms/invoice/records/${created.id}`, payload: { version: 1, values: { amount: '3.00' } } })
    expect(stale.json().error).toMatchObject({ code: 'conflict.version', message: expect.stringContaining('已被他人修改') })

    // A customer still linked from others: the refusal says from which forms, how many records
    // each (counted here in plain SQL), and deletes nothing.
    const count = async (table: string) => (await sql<{ n: number }>`select count(*)::int as n
      from ${sql.table(`customer_settlement.${table}`)} where customer_id = ${customerId}`.execute(platform.database.db)).rows[0].n
    const linking = [
      ['contract', '合同', 'Contract'], ['invoice', '发票（应收）', 'Invoice (receivable)'], ['invoice_request', '开票申请', 'Invoice request'],
      ['order', '订单', 'Order'], ['receipt', '收款', 'Receipt'],
    ] as const
    const counted: Array<[string, string, string, number]> = []
    for (const [form, zh, en] of linking) {
      const n = await count(form)
      if (n > 0) counted.push([form, zh, en, n])
    }
    expect(counted.length, 'the demo customer has invoices and receipts').toBeGreaterThanOrEqual(2)
    const linked = await server.inject({ method: 'DELETE', url: `${APP}/forms/customer/records/${customerId}` })
    expect(linked.statusCode).toBe(409)
    expect(linked.json().error.message)
      .toBe(`该客户记录仍被 ${counted.map(([, zh, , n]) => `${n} 条「${zh}」`).join('、')}记录引用，请先解除引用`)
    // Not the database's names for the key or the table linking here: the forms by key, and counts.
    expect(linked.json().error.details)
      .toEqual({ form: 'customer', linkedFrom: counted.map(([form, , , n]) => ({ form, count: n })) })
    const english = await server.inject({ method: 'DELETE', url: `${APP}/forms/customer/records/${customerId}`, headers: { 'accept-language': 'en' } })
    const plural = (n: number, label: string) => `${n} ${label} record${n === 1 ? '' : 's'}`
    const listed = counted.map(([, , en, n]) => plural(n, en))
    expect(english.json().error.message).toBe(
      `this Customer record is still linked from ${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}; remove those links first`)
    expect((await server.inject({ url: `${APP}/forms/customer/records/${customerId}` })).statusCode).toBe(200)

    // A deleter who may read only some of those records is told of those, and that there are
    // others, not how many or where.
    await saveRole(server, 'customer-settlement', 'customer_remover', {
      customer: { actions: ['read', 'delete'] }, invoice: { actions: ['read'] },
    })
    const remover = await server.createUser({ username: 'bad.remover', roles: ['customer-settlement/customer_remover'] })
    const partial = await remover.inject({ method: 'DELETE', url: `${APP}/forms/customer/records/${customerId}` })
    expect(partial.statusCode).toBe(409)
    const invoices = counted.find(([form]) => form === 'invoice')![3]
    expect(partial.json().error.message)
      .toBe(`该客户记录仍被 ${invoices} 条「发票（应收）」记录引用，另有您无权查看的记录，请先解除引用`)
    expect(partial.json().error.details).toEqual({ form: 'customer', linkedFrom: [{ form: 'invoice', count: invoices }] })

    const missing = await server.inject({ url: `${APP}/forms/nothing` })
    expect(missing.json().error.message).toBe('表单「customer-settlement/nothing」不存在')

    // A request of the wrong shape: the schema's checks, worded in Chinese.
    const shape = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/records`, payload: { values: 'x' } })
    expect(shape.statusCode).toBe(400)
    expect(shape.json().error.message).toBe('请求的 body 有误：body.values 应当是 object 类型')
    expect(shape.json().error.issues).toEqual([expect.objectContaining({ field: 'body.values', rule: 'type' })])
    const shapeEn = await server.inject({
      method: 'POST', url: `${APP}/forms/invoice/records`, payload: { values: 'x' }, headers: { 'accept-language': 'en' },
    })
    expect(shapeEn.json().error.issues[0].message).toBe('must be object')
  })

  it('refuses report values out of range or holding NUL, naming them, in its own words', async () => {
    const refused = async (request: { method?: 'GET' | 'POST'; url: string; payload?: unknown }) => {
      const response = await server.inject({ method: request.method ?? 'GET', url: request.url, payload: request.payload as never })
      expect(response.statusCode, request.url).toBe(400)
      // The database's own words (and its internals) stay in the server log.
      expect(response.body, request.url).not.toMatch(/out of range|byte sequence|displacement|UTF8|0x00/)
      return response.json().error as { code: string; message: string; issues: { field: string }[] }
    }
    // A period so long that the one before it (for comparisons) has no dates.
    for (const period of ['1000-01-01..5000-01-01', '2026-01-01..9999-12-31', '1000-01-15..2026-12-31']) {
      const error = await refused({ url: `${APP}/reports/collection_rate/run?period=${period}` })
      expect(error).toMatchObject({ code: 'report.param_invalid', message: expect.stringContaining('不超过 100 年') })
      expect(error.issues[0].field).toBe('period')
    }
    expect(await refused({ url: `${APP}/reports/aging/run?asOf=0999-12-31` })).toMatchObject({ code: 'report.param_invalid' })

    for (const url of [
      `${APP}/reports/aging/run?filter.customer.name=%00`,
      `${APP}/reports/aging/run?dim.customer=%00`,
      `${APP}/reports/aging/drill?dim.customer=a%00`,
      `${APP}/dashboards/receivables/widgets/by_region/run?f.region=%00`,
    ]) {
      const error = await refused({ url })
      expect(error).toMatchObject({ code: 'request.invalid', message: expect.stringContaining('NUL') })
      expect(error.issues[0].field).toMatch(/^query\./)
    }

    // A number the database cannot add to a date: refused in our words.
    const spec = {
      key: 'shifted', label: '移动', source: 'invoice',
      params: [{ key: 'k', type: 'number', label: '天数' }],
      dimensions: [{ key: 'day', label: '日', expr: { add_days: [{ var: 'invoice_date' }, { param: 'k' }] } }],
      measures: [{ key: 'n', label: '张数', agg: 'count' }],
    }
    for (const k of ['99999999999', '-99999999']) {
      const error = await refused({ method: 'POST', url: `${APP}/reports/preview`, payload: { spec, params: { k } } })
      expect(error.code).toBe('request.invalid')
      expect(error.message).toMatch(/^请求中的值无法处理：(数字|日期或时间)超出可计算的范围$/)
    }
  })

  it('refuses query parts a route does not take, instead of ignoring them', async () => {
    const widget = `${APP}/dashboards/receivables/widgets/by_region`
    const cases: Array<[url: string, field: string, words: string]> = [
      [`${APP}/reports/aging_buckets/run?f.region=华东`, 'query.f.region', '这个接口不接受 f.region'],
      [`${APP}/reports/aging_buckets/run?limit=5`, 'query.limit', 'limit 只用于明细下钻'],
      [`${APP}/reports/aging_buckets/run?asOf=2026-01-01&asOf=2026-09-01`, 'query.asOf', 'asOf 出现了 2 次'],
      [`${APP}/reports/aging/drill?dim.bucket=1–30天&limit=99999999`, 'query.limit', 'limit 须为 1 到 5000 之间的整数'],
      [`${widget}/run?f.nope=1`, 'query.f.nope', '看板没有筛选「nope」'],
      [`${widget}/run?foo=1`, 'query.foo', '看板没有参数「foo」'],
      [`${widget}/run?dim.region=华东`, 'query.dim.region', '看板组件请用 path'],
      [`${widget}/run?level=region&level=customer`, 'query.level', 'level 出现了 2 次'],
      [`${widget}/drill?path=[1]`, 'query.path', 'path 须为 JSON 对象'],
      // One thing said two ways: refused, not settled by the order of the query.
      [`${widget}/run?f.region=华东&filters=${encodeURIComponent('{"region":["华南"]}')}`, 'query.filters.region',
        '筛选「region」给了两次（f.region 和 filters.region）'],
      [`${APP}/reports/aging_buckets/run?dim.bucket__index=1&dim.bucket=31–60天`, 'query.dim.bucket',
        '维度「bucket」给了两次（dim.bucket__index 和 dim.bucket）'],
      [`${APP}/reports/receivables_by_region/run?group=customer,customer`, 'query.group', 'group 中「customer」出现了两次'],
      // A value a select field cannot hold is named by the query part it came in.
      [`${APP}/reports/aging_buckets/run?filter.disputed=maybe`, 'query.filter.disputed', '筛选值须为该字段的选项之一'],
      // A dashboard param that is no value of its type, also for a widget whose report does not take it.
      [`${APP}/dashboards/receivables/widgets/collection/run?asOf=2026-02-30`, 'query.asOf', '2026-02-30'],
      [`${widget}/run?f.nope=1`, 'query.f.nope', '没有筛选「nope」'],
      // A language the product does not speak, or two, instead of Chinese without a word.
      [`${APP}/forms/customer/records?locale=fr`, 'query.locale', 'query.locale 须为 zh-CN 或 en，收到「fr」'],
      [`${APP}/forms/customer/records?locale=en&locale=zh-CN`, 'query.locale', '收到「en, zh-CN」'],
      [`${APP}/reports/aging_buckets/run?locale=EN`, 'query.locale', '收到「EN」'],
      // A filter's choices take a search text only.
      [`${APP}/dashboards/receivables/filters/region/options?qq=华`, 'querystring.qq', 'qq'],
    ]
    for (const [url, field, words] of cases) {
      const response = await server.inject({ url })
      expect(response.statusCode, url).toBe(400)
      const error = response.json().error
      expect(['request.invalid', 'report.invalid', 'report.param_invalid'], url).toContain(error.code)
      if (field === 'query.f.nope') expect(error.issues[0].message).toBe('没有筛选「nope」')
      expect(error.message, url).toContain(words)
      expect(error.issues[0]?.field, url).toBe(field)
    }
    // What the routes do take still works.
    const region = await server.inject({ url: `${widget}/run?f.region=华东&asOf=2026-06-30` })
    expect(region.statusCode).toBe(200)
    const english = await server.inject({ url: `${APP}/forms/nothing?locale=en` })
    expect(english.json().error.message).toBe('form "customer-settlement/nothing" does not exist')
    const choices = await server.inject({ url: `${APP}/dashboards/receivables/filters/region/options?q=华&locale=en` })
    expect(choices.statusCode, choices.body).toBe(200)
    // Only the API's requests: a page address with a locale the app does not read is no API call.
    expect((await server.inject({ url: '/no-such-page?locale=fr' })).json().error?.issues?.[0]?.field).not.toBe('query.locale')
  })

  it('names a company time zone setting that is no time zone, instead of failing every dated view without a word', async () => {
    await sql`update tessera.setting set value = '"Mars/Base"' where key = 'timeZone'`.execute(platform.database.db)
    try {
      for (const url of ['/api/settings', `${APP}/dashboards/receivables/widgets/aging/run`]) {
        const response = await server.inject({ url, headers: { 'accept-language': 'zh-CN' } })
        expect(response.statusCode, url).toBe(500)
        expect(response.json().error).toMatchObject({
          code: 'settings.invalid',
          message: '公司时区设置（tessera.setting 中的 timeZone）为 "Mars/Base"，不是时区；请改为 IANA 时区名，例如 "Asia/Shanghai"',
        })
      }
    } finally {
      await sql`update tessera.setting set value = '"Asia/Shanghai"' where key = 'timeZone'`.execute(platform.database.db)
    }
    expect((await server.inject({ url: '/api/settings' })).json().timeZone).toBe('Asia/Shanghai')
  })

  it('says why a list cannot be sorted by a lookup, by its label', async () => {
    const response = await server.inject({ url: `${APP}/forms/contract/records?sort=customer_region`, headers: { 'accept-language': 'zh-CN' } })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toBe('不能按「客户区域」排序：引用字段显示关联记录的值，本表单不能据以排序')
  })

  it('names a record that does not exist by its form\u2019s label, in the reader\u2019s language', async () => {
    const zh = await server.inject({ url: `${APP}/forms/invoice/records/999999`, headers: { 'accept-language': 'zh-CN' } })
    expect(zh.statusCode).toBe(404)
    expect(zh.json().error).toMatchObject({ code: 'not_found', message: '「发票（应收）」的记录 #999999 不存在' })
    const en = await server.inject({ url: `${APP}/forms/invoice/records/999999`, headers: { 'accept-language': 'en' } })
    expect(en.json().error.message).toBe('record #999999 of Invoice (receivable) does not exist')
  })
})
