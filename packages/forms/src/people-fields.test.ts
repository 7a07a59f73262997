import { describe, expect, it } from 'vitest'
import type { FieldIssue, FormDefinition } from '@tessera/core'
import { checkFormDefinition } from './check-form-definition.js'
import { createValidator } from './create-validator.js'
import { acceptsFile, maxFileSize } from './kinds/attachment-accept.js'
import { normalizeValues } from './normalize-values.js'
import { publish } from './test-forms.js'
import { toOpenApi } from './to-open-api.js'

const TICKET: FormDefinition = {
  key: 'ticket',
  label: '工单',
  fields: [
    { key: 'owner', type: 'member', label: { 'zh-CN': '负责人', en: 'Owner' }, required: true, default: '$me' },
    { key: 'watchers', type: 'member', multiple: true, label: { 'zh-CN': '关注人', en: 'Watchers' } },
    { key: 'team', type: 'department', label: { 'zh-CN': '部门', en: 'Team' } },
    { key: 'scan', type: 'attachment', label: { 'zh-CN': '扫描件', en: 'Scan' }, accept: ['.pdf'] },
    { key: 'photos', type: 'attachment', multiple: true, label: '照片', maxSize: 2048, accept: ['image/*'] },
  ],
}

const form = publish(TICKET)
const validator = createValidator()
const check = (values: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'zh-CN'): FieldIssue[] =>
  validator.validate(form, { owner: 7, ...values }, { locale })

describe('member, department and attachment fields', () => {
  it('are valid definitions, with their options checked', () => {
    expect(checkFormDefinition(TICKET)).toBe(TICKET)
    const bad = {
      ...TICKET,
      fields: [
        { key: 'owner', type: 'member', label: '负责人', default: 'me' },
        { key: 'files', type: 'attachment', label: '附件', accept: ['pdf'], maxSize: 0 },
      ],
    }
    expect(() => checkFormDefinition(bad)).toThrow(/fields\[0\]\.default/)
    const fields = () => {
      try {
        checkFormDefinition(bad)
      } catch (error) {
        return (error as { issues: FieldIssue[] }).issues.map((issue) => issue.field)
      }
    }
    expect(fields()).toEqual(expect.arrayContaining(['fields[1].accept[0]', 'fields[1].maxSize']))
  })

  it('take ids like links, lists of distinct ids when multiple', () => {
    expect(check({ watchers: [1, 2], team: 3, scan: [{ id: 4 }], photos: [{ id: 5 }, { id: 6 }] })).toEqual([])
    expect(check({ owner: null })).toEqual([
      expect.objectContaining({ field: 'owner', rule: 'required', message: '「负责人」不能为空' }),
    ])
    expect(check({ owner: '7' })).toEqual([expect.objectContaining({
      field: 'owner', rule: 'type', message: '「负责人」必须是一位用户的编号（正整数）',
    })])
    expect(check({ owner: 0 }, 'en')[0].message).toBe('"Owner" must be the id of a user (a whole number from 1)')
    expect(check({ watchers: [1, 1] })[0]).toMatchObject({ field: 'watchers', rule: 'unique_items' })
    expect(check({ watchers: 3 }, 'en')[0]).toMatchObject({
      field: 'watchers', rule: 'type', message: '"Watchers" must be a list of distinct user ids (whole numbers from 1)',
    })
    expect(check({ team: [3] }, 'en')[0].message).toBe('"Team" must be the id of a department (a whole number from 1)')
  })

  it('take attachments as lists of {id}, one unless multiple', () => {
    expect(check({ scan: [{ id: 1 }, { id: 2 }] })[0]).toMatchObject({
      field: 'scan', rule: 'max_files', message: '「扫描件」最多 1 个文件',
    })
    expect(check({ scan: 'a.pdf' }, 'en')[0]).toMatchObject({
      field: 'scan', rule: 'type', message: '"Scan" must be a list of uploaded files, each such as {"id": 12}',
    })
    expect(check({ scan: [{ name: 'a.pdf' }] })[0]).toMatchObject({ field: 'scan', rule: 'type' })
    // What a read gave back may be sent back as it is.
    expect(check({ scan: [{ id: 1, name: 'a.pdf', size: 3, type: 'application/pdf' }] })).toEqual([])
  })

  it('store empty lists as empty', () => {
    expect(normalizeValues(form, { watchers: [], photos: [], team: '' })).toEqual({
      watchers: null, photos: null, team: null,
    })
  })

  it('match files by extension, MIME type or family', () => {
    expect(acceptsFile({ accept: ['.pdf'] }, 'Scan.PDF', 'application/octet-stream')).toBe(true)
    expect(acceptsFile({ accept: ['image/*'] }, 'x.bin', 'image/png')).toBe(true)
    expect(acceptsFile({ accept: ['image/*', 'application/pdf'] }, 'a.txt', 'text/plain')).toBe(false)
    expect(acceptsFile({}, 'anything', 'text/html')).toBe(true)
    expect(maxFileSize({})).toBe(10 * 1024 * 1024)
    expect(maxFileSize({ maxSize: 2048 })).toBe(2048)
  })

  it('appear in OpenAPI: ids, the files as read, and the upload and download paths', () => {
    const doc = toOpenApi({ app: { key: 'desk', label: '服务台' }, forms: [form] })
    const schemas = (doc.components as { schemas: Record<string, { properties: Record<string, unknown> }> }).schemas
    expect(schemas.ticket_write.properties.owner).toMatchObject({ type: 'integer', minimum: 1 })
    expect(schemas.ticket_write.properties.watchers).toMatchObject({
      anyOf: [{ enum: [null, ''] }, { type: 'array', items: { type: 'integer', minimum: 1 }, uniqueItems: true }],
    })
    const values = (schemas.ticket_record.properties.values as { properties: Record<string, unknown> }).properties
    expect(values.scan).toMatchObject({ anyOf: [{ type: 'null' }, { items: { $ref: '#/components/schemas/AttachmentRef' } }] })
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>
    expect(paths['/api/apps/desk/forms/ticket/fields/photos/files'].post['x-limits'])
      .toEqual({ maxSize: 2048, accept: ['image/*'] })
    expect(paths['/api/apps/desk/forms/ticket/records/{id}/files/{file}'].get.operationId)
      .toBe('download_ticket_file')
  })
})
