import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition, type RoleSpec } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, type Inject, type SignedIn, type TestServer } from './support.js'

const APP = 'desk'
const BASE = `/api/apps/${APP}/forms/ticket`

const ticket: FormDefinition = {
  key: 'ticket',
  label: '工单',
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: '标题', required: true },
    { key: 'owner', type: 'member', label: { 'zh-CN': '负责人', en: 'Owner' }, required: true, default: '$me' },
    { key: 'team', type: 'department', label: '部门', default: '$me' },
    { key: 'scan', type: 'attachment', label: { 'zh-CN': '扫描件', en: 'Scan' }, accept: ['.pdf', 'image/*'], maxSize: 64 },
  ],
}

const roles: RoleSpec[] = [
  { key: 'assignee', label: '经办人',
    forms: { ticket: { actions: ['read', 'create', 'update'], rows: { kind: 'own', field: 'owner' } } } },
  { key: 'auditor', label: '审计', forms: { ticket: { actions: ['read'] } } },
  { key: 'no_scan', label: '不见扫描件', forms: { ticket: { actions: ['read', 'create', 'update'], fields: { scan: 'hidden' } } } },
  { key: 'scan_readonly', label: '扫描件只读', forms: { ticket: { actions: ['read', 'create', 'update'], fields: { scan: 'readonly' } } } },
]

/** A multipart/form-data body with one file, as a browser sends it. */
/** The first bytes of real files: a PNG signature and header, a Windows program, a ZIP archive. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex')
const PROGRAM = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0)])
const ZIP = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(40, 0)])

function multipart(name: string, type: string, content: Buffer | string) {
  const boundary = '----tessera-test-boundary'
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
    `Content-Type: ${type}\r\n\r\n`
  const payload = Buffer.concat([Buffer.from(head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

describe.each(databaseSuites())('member and attachment routes on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let filesDir: string
  let wang: SignedIn
  let li: SignedIn
  let auditor: SignedIn
  let sales: number

  const upload = (inject: Inject, field: string, name: string, type: string, content: Buffer | string) =>
    inject({ method: 'POST', url: `${BASE}/fields/${field}/files`, ...multipart(name, type, content) })

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.catalog.saveApp({ key: APP, label: '服务台' })
    await platform.catalog.saveDraft(APP, ticket)
    await platform.catalog.publish(APP, ['ticket'], SYSTEM_ACTOR)
    for (const role of roles) await platform.roles.save(SYSTEM_ACTOR, APP, role)
    filesDir = mkdtempSync(join(tmpdir(), 'tessera-files-routes-'))
    server = await createTestServer(platform, { filesDir })
    const dept = await server.inject({ method: 'POST', url: '/api/admin/departments', payload: { name: '销售部' } })
    sales = dept.json().id
    wang = await server.createUser({ username: 'wang', displayName: '王芳', departmentId: sales, roles: [`${APP}/assignee`] })
    li = await server.createUser({ username: 'li', displayName: '李雷', roles: [`${APP}/assignee`] })
    auditor = await server.createUser({ username: 'zhao', displayName: '赵审计', roles: [`${APP}/auditor`] })
    const gone = await server.createUser({ username: 'gone', displayName: '王离职' })
    await server.inject({ method: 'PATCH', url: `/api/admin/users/${gone.user.id}`, payload: { disabled: true } })
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  it('lists enabled users by name for any signed-in user, without private data', async () => {
    const found = await li.inject({ url: '/api/people?q=王' })
    expect(found.statusCode).toBe(200)
    expect(found.json()).toEqual([{ id: wang.user.id, name: '王芳', department: { id: sales, name: '销售部' } }])

    const byId = await li.inject({ url: `/api/people?ids=${wang.user.id},${li.user.id}` })
    expect(byId.json().map((p: { name: string }) => p.name).sort()).toEqual(['李雷', '王芳'])
    expect(JSON.stringify(byId.json())).not.toMatch(/username|wang"|admin|roles/)

    expect((await li.inject({ url: '/api/people?limit=0' })).statusCode).toBe(400)
    expect((await server.anonymous({ url: '/api/people' })).statusCode).toBe(401)
    const departments = await li.inject({ url: '/api/people/departments' })
    expect(departments.json()).toEqual([{ id: sales, name: '销售部', parentId: null, path: `/${sales}/` }])
  })

  it('uploads a file, saves it on a record, and serves it to readers of that record only', async () => {
    const sent = await upload(wang.inject, 'scan', '发票.pdf', 'application/pdf', '%PDF-1.4 tiny')
    expect(sent.statusCode, sent.body).toBe(201)
    const file = sent.json()
    expect(file).toEqual({ id: expect.any(Number), name: '发票.pdf', size: 13, type: 'application/pdf' })

    // The uploader may fetch it before any record holds it; no one else may.
    expect((await wang.inject({ url: `/api/files/${file.id}` })).body).toBe('%PDF-1.4 tiny')
    expect((await li.inject({ url: `/api/files/${file.id}` })).statusCode).toBe(404)

    const created = await wang.inject({
      method: 'POST', url: `${BASE}/records`, payload: { values: { title: '对账', scan: [{ id: file.id }] } },
    })
    expect(created.statusCode, created.body).toBe(201)
    const record = created.json()
    expect(record.values).toMatchObject({ owner: wang.user.id, team: sales, scan: [file] })
    expect(record.titles).toMatchObject({ owner: '王芳', team: '销售部' })

    const url = `${BASE}/records/${record.id}/files/${file.id}`
    const download = await auditor.inject({ url })
    expect(download.statusCode).toBe(200)
    expect(download.body).toBe('%PDF-1.4 tiny')
    expect(download.headers['content-type']).toBe('application/pdf')
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('发票.pdf')}`)
    expect(download.headers['x-content-type-options']).toBe('nosniff')

    // li's rows are the tickets li owns: this one is not found for li.
    expect((await li.inject({ url })).statusCode).toBe(404)
    // A file the record does not hold is not found through it either.
    const other = (await upload(li.inject, 'scan', 'x.png', 'image/png', PNG)).json()
    expect((await auditor.inject({ url: `${BASE}/records/${record.id}/files/${other.id}` })).statusCode).toBe(404)
    // And li cannot put wang's file on a record of li's own.
    const stolen = await li.inject({
      method: 'POST', url: `${BASE}/records`, payload: { values: { title: '借用', scan: [{ id: file.id }] } },
    })
    expect(stolen.statusCode).toBe(400)
    expect(stolen.json().error.issues[0]).toMatchObject({ field: 'scan', rule: 'reference' })
  })

  it('looks at what a file is, not only at its name: a program or an archive called a PDF is refused', async () => {
    const before = readdirSync(filesDir).length
    for (const [name, type, content, found] of [
      ['发票.pdf', 'application/pdf', PROGRAM, '实际是 application/x-msdownload'],
      ['photo.jpg', 'image/jpeg', ZIP, '实际是 application/zip'],
      ['scan.pdf', 'application/pdf', 'just some text', '无法识别其类型'],
      // A PDF the field would take as a PDF, but named and declared as a picture.
      ['photo.png', 'image/png', '%PDF-1.4\n%%EOF\n', '实际是 application/pdf'],
    ] as const) {
      const refused = await upload(wang.inject, 'scan', name, type, content)
      expect(refused.statusCode, name).toBe(400)
      expect(refused.json().error).toMatchObject({
        code: 'file.rejected', issues: [{ field: 'scan', rule: 'accept', expected: { accept: ['.pdf', 'image/*'] } }],
      })
      expect(refused.json().error.message).toContain(`「${name}」的内容${found}，与其名称或类型不符`)
    }
    expect(readdirSync(filesDir).length).toBe(before)
    // A picture sent under another picture's name is still a picture the field takes.
    expect((await upload(wang.inject, 'scan', 'really-a-png.jpg', 'image/jpeg', PNG)).statusCode).toBe(201)
  })

  it('refuses a wrong type (400) and a file over the limit (413), naming the field; keeps nothing', async () => {
    const before = readdirSync(filesDir).length
    const wrong = await upload(wang.inject, 'scan', 'run.exe', 'application/x-msdownload', 'MZ')
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error).toMatchObject({
      code: 'file.rejected',
      message: '「扫描件」只接受 PDF、图片 类型的文件，「run.exe」是 application/x-msdownload',
      issues: [{ field: 'scan', rule: 'accept', expected: { accept: ['.pdf', 'image/*'] } }],
    })

    const big = await upload(wang.inject, 'scan', 'big.pdf', 'application/pdf', Buffer.alloc(65, 1))
    expect(big.statusCode).toBe(413)
    expect(big.json().error).toMatchObject({
      code: 'file.too_large', details: { field: 'scan', maxSize: 64 },
      issues: [{ field: 'scan', rule: 'max_size', expected: { maxSize: 64 } }],
    })
    const exact = await upload(wang.inject, 'scan', 'fits.pdf', 'application/pdf',
      Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(55, 0x20)]))
    expect(exact.statusCode).toBe(201)
    expect(readdirSync(filesDir).length).toBe(before + 1)

    const english = await wang.inject({
      method: 'POST', url: `${BASE}/fields/scan/files?locale=en`, ...multipart('a.txt', 'text/plain', 'x'),
    })
    expect(english.json().error.message).toBe('"Scan" accepts only these files: PDF, images; "a.txt" is text/plain')
  })

  it('says what is wrong with an upload that is not one', async () => {
    const json = await wang.inject({ method: 'POST', url: `${BASE}/fields/scan/files`, payload: { file: 'x' } })
    expect(json.statusCode).toBe(400)
    expect(json.json().error).toMatchObject({ code: 'file.rejected', issues: [{ field: 'scan', rule: 'multipart' }] })
    // Multipart, but a text part only; and two files where one is taken.
    const boundary = '----tessera-text-only'
    const textOnly = await wang.inject({
      method: 'POST', url: `${BASE}/fields/scan/files`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="foo"\r\n\r\nbar\r\n--${boundary}--\r\n`,
    })
    expect(textOnly.statusCode, textOnly.body).toBe(400)
    expect(textOnly.json().error).toMatchObject({ code: 'file.rejected', issues: [{ field: 'scan', rule: 'multipart' }] })
    const part = (name: string) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      'Content-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n'
    const stored = readdirSync(filesDir).length
    const two = await wang.inject({
      method: 'POST', url: `${BASE}/fields/scan/files`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${part('a.pdf')}${part('b.pdf')}--${boundary}--\r\n`,
    })
    expect(two.statusCode, two.body).toBe(400)
    expect(two.json().error).toMatchObject({ code: 'file.rejected', issues: [{ field: 'scan', rule: 'multipart' }] })
    expect(readdirSync(filesDir).length).toBe(stored)
    const notFiles = await upload(wang.inject, 'title', 'a.pdf', 'application/pdf', 'x')
    expect(notFiles.statusCode).toBe(400)
    expect(notFiles.json().error).toMatchObject({ code: 'request.invalid', details: { field: 'title' } })
    // The auditor may read tickets but write none, so may not upload either.
    const refused = await upload(auditor.inject, 'scan', 'a.pdf', 'application/pdf', 'x')
    expect(refused.statusCode).toBe(403)
  })

  it('refuses a file for a field hidden from the uploader or read-only for them, keeping nothing', async () => {
    const stored = readdirSync(filesDir).length
    for (const [role, rule, message] of [
      ['no_scan', 'hidden', '「扫描件」对你不可见，不能上传文件'],
      ['scan_readonly', 'readonly', '「扫描件」对你只读，不能上传文件'],
    ] as const) {
      const user = await server.createUser({ username: `up.${role}`, roles: [`${APP}/${role}`] })
      const refused = await upload(user.inject, 'scan', 'a.pdf', 'application/pdf', '%PDF-1.4 x')
      expect(refused.statusCode, role).toBe(403)
      expect(refused.json().error).toMatchObject({ code: 'auth.forbidden', issues: [{ field: 'scan', rule, message }] })
    }
    expect(readdirSync(filesDir).length).toBe(stored)
  })

  it('refuses a disabled user as a member, naming the field', async () => {
    const people = await server.inject({ url: '/api/people?ids=1,2,3,4,5,6,7,8' })
    const gone = people.json().find((p: { disabled?: boolean }) => p.disabled)
    expect(gone).toMatchObject({ name: '王离职', disabled: true })
    const refused = await server.inject({
      method: 'POST', url: `${BASE}/records`, payload: { values: { title: '交接', owner: gone.id } },
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.issues).toEqual([expect.objectContaining({
      field: 'owner', message: `「负责人」中的用户 #${gone.id} 不存在或已停用`,
    })])
  })

  it('lists the upload and download paths in the OpenAPI document of the app', async () => {
    const openapi = await server.inject({ url: `/api/apps/${APP}/openapi.json` })
    expect(Object.keys(openapi.json().paths)).toEqual(expect.arrayContaining([
      `${BASE}/fields/scan/files`, `${BASE}/records/{id}/files/{file}`,
    ]))
  })
})
