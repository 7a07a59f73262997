import { createHash } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, todayIn } from '@tessera/core'
import { openTable, tableToXlsx } from '@tessera/importer'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, type TestServer } from './support.js'

// A damaged workbook is given up on after this long without progress (20 s otherwise).
process.env.TESSERA_XLSX_STALL_MS = '1500'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = '/api/apps/customer-settlement'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

describe.each(databaseSuites())('importing and exporting sheets of a form over HTTP on $name', (suite) => {
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

  /** The server on a real socket (listening from the first test that needs one). */
  const listening = async () => {
    const bound = server.app.server.address()
    if (bound && typeof bound === 'object') return `http://127.0.0.1:${bound.port}`
    return server.app.listen({ port: 0, host: '127.0.0.1' })
  }

  /** A workbook of 2,000 customers, codes `<prefix>-n`. */
  const customerWorkbook = async (prefix: string, name: string) => {
    const chunks: Buffer[] = []
    const rows = Array.from({ length: 2000 }, (_, i) => [`${prefix}-${i}`, `${name}${i}`, i])
    for await (const chunk of tableToXlsx('客户', ['客户编号', '客户名称', '信用额度'], rows)) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }

  /** A CSV upload over a real socket, sent in chunks as the caller writes them, as the administrator. */
  const openUpload = async (path: string) => {
    const { hostname, port } = new URL(await listening())
    const request = httpRequest({
      host: hostname, port: Number(port), method: 'POST', path,
      headers: { 'content-type': 'text/csv', 'transfer-encoding': 'chunked', cookie: server.admin.cookie, 'x-csrf-token': server.admin.csrfToken },
    })
    request.on('error', () => {})
    return request
  }

  const upload = (query: string, payload: string | Buffer, type = 'text/csv') => server.inject({
    method: 'POST', url: `${APP}/forms/customer/import?${query}`, headers: { 'content-type': type }, payload,
  })

  it('lists the fields a file can fill', async () => {
    const setup = (await server.inject({ url: `${APP}/forms/customer/import/setup` })).json()
    expect(setup.fields.map((f: { key: string }) => f.key)).toContain('credit_limit')
    expect(setup.remembered).toBeUndefined()
    // Customers match by their code, name or credit code; allocations by receipt and invoice together.
    expect(setup.keys).toEqual([['code'], ['name'], ['uscc']])
    const allocation = (await server.inject({ url: `${APP}/forms/allocation/import/setup` })).json()
    expect(allocation.keys).toEqual([['receipt', 'invoice']])
  })

  it('previews a file with columns guessed from the field labels, writing nothing', async () => {
    const response = await upload('dryRun=true&limit=5', '客户编号,客户名称,信用额度,备注\nX-1,西湖贸易,"1,000",无\n')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({
      dryRun: true,
      header: ['客户编号', '客户名称', '信用额度', '备注'],
      spec: { columns: { 客户编号: 'code', 客户名称: 'name', 信用额度: 'credit_limit' } },
      preview: [{ line: 2, values: { code: 'X-1', name: '西湖贸易', credit_limit: '1000.00' } }],
    })
    const listed = await server.inject({ url: `${APP}/forms/customer/records?q=X-1` })
    expect(listed.json().total).toBe(0)
  })

  it('previews the start of a long file sent over the network in pieces, hashing the whole file, and keeps serving', async () => {
    // Through a real socket the file arrives in many chunks, most of them
    // after the preview's rows were read: the server used to hash the first
    // ones, answer, then crash on the next chunk ("Digest already called").
    const rows = Array.from({ length: 4000 }, (_, i) => `P-${i},预览客户${i},${i}.50,第 ${i} 行的备注`)
    const file = Buffer.from(`客户编号,客户名称,信用额度,备注\n${rows.join('\n')}\n`)
    expect(file.length).toBeGreaterThan(150_000)
    const address = await listening()
    const pieces = async function* () {
      for (let at = 0; at < file.length; at += 8192) {
        yield file.subarray(at, at + 8192)
        await new Promise((done) => setTimeout(done, 2))
      }
    }
    const response = await fetch(`${address}${APP}/forms/customer/import?dryRun=true&limit=5`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', cookie: server.admin.cookie, 'x-csrf-token': server.admin.csrfToken },
      body: Readable.toWeb(Readable.from(pieces())) as ReadableStream,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(200)
    const result = await response.json() as { rows: number; preview: { values: { code: string } }[]; sha256: string }
    expect(result.rows).toBe(5)
    expect(result.preview.map((row: { values: { code: string } }) => row.values.code)).toEqual(['P-0', 'P-1', 'P-2', 'P-3', 'P-4'])
    expect(result.sha256).toBe(createHash('sha256').update(file).digest('hex'))
    // Still serving, and nothing was written.
    const listed = await fetch(`${address}${APP}/forms/customer/records?q=P-1`, { headers: { cookie: server.admin.cookie } })
    expect(listed.status).toBe(200)
    expect((await listed.json() as { total: number }).total).toBe(0)
  })

  it('names what is wrong with the file itself in Chinese: a stray quote, GBK text, no header, a false workbook', async () => {
    const refused = async (payload: string | Buffer, type = 'text/csv') => {
      const response = await upload('dryRun=true&limit=5', payload, type)
      expect(response.statusCode).toBe(400)
      return response.json().error.message as string
    }
    expect(await refused('客户编号,客户名称\nX-9,3/4"螺栓\n')).toMatch(/^导入文件不是有效的 CSV：第 2 行单元格中间出现了引号/)
    // The quote opens on line 3; the parser only finds it unclosed at the end of the file.
    expect(await refused('客户编号,客户名称\nX-8,甲\n"X-9,未闭合\nX-10,乙\nX-11,丙\n')).toMatch(/^导入文件不是有效的 CSV：第 3 行起的引号没有闭合/)
    // 客户编号 in GBK, as an older Excel saves "CSV".
    expect(await refused(Buffer.from([0xbf, 0xcd, 0xbb, 0xa7, 0xb1, 0xe0, 0xba, 0xc5, 0x0a])))
      .toMatch(/^导入文件不是 UTF-8 编码（第 0 字节附近无法按 UTF-8 读取）：请在 Excel 中另存为“CSV UTF-8/)
    expect(await refused('')).toBe('导入文件是空的：没有表头行')
    expect(await refused('客户编号,客户编号\nX-9,X-9\n')).toBe('导入文件的表头无法使用：列「客户编号」出现了两次')
    expect(await refused('this is not a workbook', XLSX)).toMatch(/^导入文件不是可读取的 \.xlsx 工作簿/)
  })

  it('refuses a query part it does not take, such as a key outside the mapping', async () => {
    const response = await upload('dryRun=true&key=code', '客户编号,客户名称\nX-8,键\n')
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('request.invalid')
    expect(response.json().error.message).toContain('key')
  })

  it('lets go of an import whose upload broke off, and keeps serving everyone', async () => {
    // The file stops after a few rows and the client goes away: the import
    // used to wait for the rest inside its transaction, holding the database.
    for (const query of ['dryRun=true&limit=5', '']) {
      const request = await openUpload(`${APP}/forms/customer/import?${query}`)
      request.write('客户编号,客户名称,信用额度\nCUT-1,中断甲,1\nCUT-2,中断乙,2\n')
      await new Promise((done) => setTimeout(done, 200))
      request.destroy()
    }
    // Reads and writes still go through, within moments, and nothing of the cut files was kept.
    const created = await server.inject({ method: 'POST', url: `${APP}/forms/customer/records`, payload: { values: { code: 'CUT-9', name: '中断之后' } } })
    expect(created.statusCode, created.body).toBe(201)
    const listed = await server.inject({ url: `${APP}/forms/customer/records?q=CUT-` })
    expect(listed.json().items.map((item: { values: { code: string } }) => item.values.code)).toEqual(['CUT-9'])
  })

  it('serves everyone while an upload stalls: the import starts only once the whole file is in', async () => {
    // On the embedded database the import's transaction holds the one
    // connection: waiting inside it for a stalled client locked everyone out.
    for (const path of [`${APP}/forms/customer/import`, `${APP}/imports/demo_customers`]) {
      const stalled = await openUpload(path)
      stalled.write('客户编号,客户名称,信用额度\nSTALL-1,停滞甲,1\n')
      await new Promise((done) => setTimeout(done, 300))
      const started = Date.now()
      const created = await server.inject({ method: 'POST', url: `${APP}/forms/customer/records`, payload: { values: { code: `OK-${path.length}`, name: `停滞时${path.length}` } } })
      expect(created.statusCode, created.body).toBe(201)
      expect(Date.now() - started).toBeLessThan(5_000)
      stalled.destroy()
    }
    expect((await server.inject({ url: `${APP}/forms/customer/records?q=STALL-` })).json().total).toBe(0)
  })

  it('refuses a damaged workbook that still ends like one, instead of reading it forever', async () => {
    const whole = await customerWorkbook('DM', '损坏客户')
    // The first half, then the archive's end record: it ends like a workbook but lacks its middle.
    const damaged = Buffer.concat([whole.subarray(0, Math.floor(whole.length / 2)), whole.subarray(whole.length - 22)])
    const response = await upload('dryRun=true&limit=5', damaged, XLSX)
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('import.invalid')
  }, 30_000)

  it('refuses limit on a real import, which would write the first rows and call the file done', async () => {
    const response = await upload('limit=1', '客户编号,客户名称\nLIM-1,限行甲\nLIM-2,限行乙\n')
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toBe('limit 只读取前几行，用于预览：请与 dryRun=true 一起使用，或去掉它导入整个文件')
    expect((await server.inject({ url: `${APP}/forms/customer/records?q=LIM-` })).json().total).toBe(0)
  })

  it('refuses a workbook cut off in the middle instead of waiting for the rest of it', async () => {
    const whole = await customerWorkbook('TR', '截断客户')
    const response = await upload('dryRun=true&limit=5', whole.subarray(0, Math.floor(whole.length / 2)), XLSX)
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/^导入文件不是可读取的 \.xlsx 工作簿（文件不完整/)
  })

  it('imports an Excel file with a mapping, reports progress, and remembers the mapping', async () => {
    const chunks: Buffer[] = []
    const rows = [['X-2', '钱塘实业', 50000], ['X-3', '富春商贸', 8000.5]]
    for await (const chunk of tableToXlsx('客户', ['编号', '公司', '额度'], rows)) chunks.push(chunk as Buffer)
    const file = Buffer.concat(chunks)
    const spec = JSON.stringify({ columns: { 编号: 'code', 公司: 'name', 额度: 'credit_limit' }, key: ['code'] })

    const response = await upload(`spec=${encodeURIComponent(spec)}&job=job-x2-import&fileName=c.xlsx`, file, XLSX)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ status: 'succeeded', rows: 2, forms: { customer: { created: 2 } } })
    const progress = (await server.inject({ url: `${APP}/import-jobs/job-x2-import` })).json()
    expect(progress).toEqual({ rows: 2, done: true })

    const setup = (await server.inject({ url: `${APP}/forms/customer/import/setup` })).json()
    expect(setup.remembered).toEqual({ format: 'xlsx', columns: { 编号: 'code', 公司: 'name', 额度: 'credit_limit' }, key: ['code'] })
  })

  it('answers 422 for bad rows and serves the problems as a CSV report', async () => {
    const spec = JSON.stringify({ columns: { 编号: 'code', 公司: 'name', 额度: 'credit_limit' }, key: ['code'] })
    const response = await upload(`spec=${encodeURIComponent(spec)}`, '编号,公司,额度\nX-4,,abc\n')
    expect(response.statusCode).toBe(422)
    const result = response.json()
    expect(result.errors.map((e: { line: number; column: string }) => [e.line, e.column]))
      .toEqual([[2, '额度']])

    const report = await server.inject({ url: `${APP}/import-runs/${result.runId}/errors` })
    expect(report.headers['content-type']).toContain('text/csv')
    expect(report.body).toContain('2,额度,abc,"「额度」应为数字')
  })

  it('exports the current list as an Excel workbook', async () => {
    const filter = encodeURIComponent(JSON.stringify({ in: [{ var: 'code' }, ['X-2', 'X-3']] }))
    const response = await server.inject({ url: `${APP}/forms/customer/export?format=xlsx&sort=code&filter=${filter}` })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(XLSX)
    // Named by the company's date (Asia/Shanghai), which is not UTC's for eight hours a day.
    expect(response.headers['content-disposition']).toContain(`filename="customer-${todayIn('Asia/Shanghai')}.xlsx"`)
    // Named as the reader reads the form, for browsers that take a UTF-8 name.
    expect(response.headers['content-disposition'])
      .toContain(`filename*=UTF-8''${encodeURIComponent(`客户-${todayIn('Asia/Shanghai')}.xlsx`)}`)
    const table = await openTable(Readable.from([response.rawPayload]), 'xlsx')
    const rows = []
    for await (const row of table.rows) rows.push(row.cells)
    expect(rows.map((row) => [row['客户编号'], row['客户名称'], row['信用额度']]))
      .toEqual([['X-2', '钱塘实业', 50000], ['X-3', '富春商贸', 8000.5]])
  })

  it('exports the columns the list shows, in its order, in the language the page asks for', async () => {
    const filter = encodeURIComponent(JSON.stringify({ in: [{ var: 'code' }, ['X-2', 'X-3']] }))
    const url = `${APP}/forms/customer/export?format=csv&sort=code&filter=${filter}&columns=name,code&locale=zh-CN`
    // The browser's own languages say English; the page is in Chinese.
    const csv = await server.inject({ url, headers: { 'accept-language': 'en-US,en;q=0.9' } })
    expect(csv.statusCode).toBe(200)
    expect(csv.body).toBe('\uFEFF客户名称,客户编号\r\n钱塘实业,X-2\r\n富春商贸,X-3\r\n')

    const wrong = await server.inject({ url: `${APP}/forms/customer/export?columns=name,planet`, headers: { 'accept-language': 'zh-CN' } })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error.message).toBe('导出的列「planet」不是表单「客户」的字段')
  })

  it('writes a choice as its label in CSV, as Excel and the list do', async () => {
    const customers = (await server.inject({ url: `${APP}/forms/customer/records?pageSize=1` })).json()
    const invoice = {
      number: 'CSV-LABEL-1', customer: customers.items[0].id, invoice_date: '2026-01-05', due_date: '2026-02-04',
      amount: '10.00', disputed: 'no', delivery: 'electronic',
    }
    const created = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/records`, payload: { values: invoice } })
    expect(created.statusCode, created.body).toBe(201)
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'number' }, 'CSV-LABEL-1'] }))
    const csv = await server.inject({
      url: `${APP}/forms/invoice/export?format=csv&filter=${filter}&columns=number,disputed,delivery&locale=zh-CN`,
    })
    expect(csv.body).toBe('\uFEFF发票号,有争议,送达方式\r\nCSV-LABEL-1,否,电子\r\n')
    const english = await server.inject({
      url: `${APP}/forms/invoice/export?format=csv&filter=${filter}&columns=number,disputed&locale=en`,
    })
    expect(english.body).toBe('\uFEFFInvoice number,Disputed\r\nCSV-LABEL-1,No\r\n')
  })

  it('describes the record endpoints of the app as OpenAPI, from the published schemas', async () => {
    const response = await server.inject({ url: `${APP}/openapi.json` })
    expect(response.statusCode).toBe(200)
    const doc = response.json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toContain('/api/apps/customer-settlement/forms/invoice/records')
    const write = doc.components.schemas.invoice_write
    expect(write.required).toEqual(expect.arrayContaining(['number', 'customer', 'amount']))
    expect(write.properties.amount).toMatchObject({ type: 'string', 'x-decimal': { scale: 2 } })
  })
})
