import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = '/api/apps/customer-settlement'

describe.each(databaseSuites())('importing a CSV over HTTP on $name', (suite) => {
  let platform: Platform
  let server: TestServer

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    server = await createTestServer(platform)
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  const upload = (csv: string) => server.inject({
    method: 'POST', url: `${APP}/imports/demo_customers?fileName=customers.csv`,
    headers: { 'content-type': 'text/csv' }, payload: csv,
  })

  it('imports the body through a mapping and reports the counts', async () => {
    const response = await upload('编号,名称,区域,销售,账期,信用额度\nH001,杭州测试有限公司,华东,张伟,30,100000.00\n')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ status: 'succeeded', rows: 1, file: 'customers.csv', forms: { customer: { created: 1 } } })
    const listed = await server.inject({ url: `${APP}/forms/customer/records?q=H001` })
    expect(listed.json().items[0].values).toMatchObject({ name: '杭州测试有限公司', credit_limit: '100000.00' })
  })

  it('answers 422 with every bad row and writes nothing', async () => {
    const response = await upload('编号,名称,区域,销售,账期,信用额度\nH002,甲,华东,张伟,abc,1\nH003,,华东,张伟,30,1\n')
    expect(response.statusCode).toBe(422)
    expect(response.json().errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([[2, '账期'], [3, '名称']])
    const listed = await server.inject({ url: `${APP}/forms/customer/records?q=H00` })
    expect(listed.json().total).toBe(1)
  })

  it('checks a file through a mapping without keeping anything when asked for a dry run', async () => {
    const response = await server.inject({
      method: 'POST', url: `${APP}/imports/demo_customers?fileName=customers.csv&dryRun=true`,
      headers: { 'content-type': 'text/csv' }, payload: '编号,名称,区域,销售,账期,信用额度\nH009,宁波试算有限公司,华东,张伟,30,5000.00\n',
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ status: 'succeeded', dryRun: true, runId: 0, forms: { customer: { created: 1 } } })
    const listed = await server.inject({ url: `${APP}/forms/customer/records?q=H009` })
    expect(listed.json().total).toBe(0)
  })

  it('refuses a file with a stray quote, naming its line in the reader\'s language, and writes nothing', async () => {
    // An inch mark typed into a cell (3/4"螺栓) is a stray quote to CSV.
    const header = '编号,名称,区域,销售,账期,信用额度\n'
    const bare = await upload(`${header}H010,3/4"螺栓贸易,华东,张伟,30,1\n`)
    expect(bare.statusCode).toBe(400)
    expect(bare.json().error).toMatchObject({ code: 'import.invalid', details: { line: 2 } })
    expect(bare.json().error.message).toMatch(/^导入文件不是有效的 CSV：第 2 行单元格中间出现了引号/)
    const unclosed = await server.inject({
      method: 'POST', url: `${APP}/imports/demo_customers`, headers: { 'content-type': 'text/csv', 'accept-language': 'en' },
      payload: `${header}H014,丁,华东,张伟,30,1\n"H011,甲,华东,张伟,30,1\nH015,戊,华东,张伟,30,1\n`,
    })
    expect(unclosed.statusCode).toBe(400)
    expect(unclosed.json().error.message).toBe('the file is not valid CSV: a quote opened on line 3 is never closed; nothing was imported')
    const bad = await upload(`${header}H012,乙,华东,张伟,三十,1\n`)
    expect(bad.json().errors[0]).toMatchObject({ line: 2, column: '账期', message: '账期：应为整数，收到「三十」' })
    // A decimal comma is no thousands separator: refused, not read as 1250.00.
    const comma = await upload(`${header}H013,丙,华东,张伟,30,"12,50"\n`)
    expect(comma.statusCode).toBe(422)
    expect(comma.json().errors[0]).toMatchObject({ line: 2, column: '信用额度', message: '信用额度：应为数字（如 1234.56 或 1,234.56，逗号只能作千位分隔），收到「12,50」' })
    const listed = await server.inject({ url: `${APP}/forms/customer/records?q=H01` })
    expect(listed.json().total).toBe(0)
  })

  it('lists the mappings it can import through', async () => {
    const mappings = (await server.inject({ url: `${APP}/imports` })).json()
    expect(mappings.map((m: { key: string }) => m.key)).toContain('ledger')
  })
})
