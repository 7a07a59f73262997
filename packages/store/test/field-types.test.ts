import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'field-lab'

const supplier: FormDefinition = {
  key: 'supplier',
  label: { 'zh-CN': '供应商', en: 'Supplier' },
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true },
    { key: 'credit_code', type: 'uscc', label: '信用代码', unique: true },
    { key: 'phone', type: 'phone', label: '电话', unique: true },
    { key: 'email', type: 'email', label: '邮箱' },
    { key: 'account', type: 'bank_account', label: '银行账号' },
    { key: 'region', type: 'region', label: '地区' },
    { key: 'tax_rate', type: 'percent', label: '税率', scale: 1 },
    { key: 'signed_at', type: 'datetime', label: '签约时间' },
    { key: 'active', type: 'boolean', label: '启用' },
    {
      key: 'tags',
      type: 'multiselect',
      label: '标签',
      options: [
        { value: 'vip', label: '重点', color: 'gold' },
        { value: 'new', label: '新客' },
      ],
    },
    { key: 'deposit', type: 'money', label: '押金', currency: 'USD' },
  ],
}

describe.each(databaseSuites())('field types on $name', (suite) => {
  let database: Database
  let records: RecordService

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '字段实验' })
    await catalog.saveDraft(APP, supplier)
    await catalog.publish(APP, ['supplier'], SYSTEM_ACTOR)
  })
  afterAll(() => database?.close())

  it('gives each type its SQL column type', async () => {
    const { rows } = await sql<{ column_name: string; udt_name: string; numeric_scale: number | null }>`
      select column_name, udt_name, numeric_scale from information_schema.columns
      where table_schema = 'field_lab' and table_name = 'supplier' and column_name not like '\\_%'
        and column_name <> 'id'
      order by ordinal_position`.execute(database.db)
    expect(rows.map((r) => [r.column_name, r.udt_name, r.numeric_scale])).toEqual([
      ['name', 'text', null],
      ['credit_code', 'text', null],
      ['phone', 'text', null],
      ['email', 'text', null],
      ['account', 'text', null],
      ['region', 'text', null],
      ['tax_rate', 'numeric', 3],
      ['signed_at', 'timestamptz', null],
      ['active', 'bool', null],
      ['tags', '_text', null],
      ['deposit', 'numeric', 2],
    ])
  })

  it('writes and reads back every type in its canonical JSON form', async () => {
    const created = await records.create(SYSTEM_ACTOR, APP, 'supplier', {
      name: '华东材料',
      credit_code: '9133 0100 7996 5505 8b',
      phone: '138 0013 8000',
      email: 'AR@Example.com',
      account: '6222 0212 3456 7890',
      region: '浙江/杭州市/余杭区',
      tax_rate: '0.13',
      signed_at: '2025-03-14T09:30:00+08:00',
      active: false,
      tags: ['new', 'vip'],
      deposit: '100',
    })
    expect(created.values).toEqual({
      name: '华东材料',
      credit_code: '91330100799655058B',
      phone: '13800138000',
      email: 'AR@example.com',
      account: '6222021234567890',
      region: '浙江省/杭州市/余杭区',
      tax_rate: '0.130',
      signed_at: '2025-03-14T01:30:00.000Z',
      active: false,
      tags: ['vip', 'new'],
      deposit: '100.00',
    })

    const { rows } = await sql<{ moment: string; tags: string }>`
      select to_char(signed_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as moment,
        array_to_string(tags, ',') as tags
      from field_lab.supplier where id = ${created.id}`.execute(database.db)
    expect(rows[0]).toEqual({ moment: '2025-03-14 09:30', tags: 'vip,new' })
  })

  it('stores empty values as null and clears them on update', async () => {
    const created = await records.create(SYSTEM_ACTOR, APP, 'supplier', {
      name: '空值', tags: [], active: null, phone: '', signed_at: null,
    })
    expect(created.values).toMatchObject({ tags: null, active: null, phone: null, signed_at: null })

    const updated = await records.update(SYSTEM_ACTOR, APP, 'supplier', created.id, {
      version: created.version, values: { tags: ['new'], active: true },
    })
    expect(updated.values).toMatchObject({ tags: ['new'], active: true })
    const cleared = await records.update(SYSTEM_ACTOR, APP, 'supplier', created.id, {
      version: updated.version, values: { tags: [] },
    })
    expect(cleared.values.tags).toBeNull()
  })

  it('lets the unique index see two spellings of one phone number as one', async () => {
    const attempt = records.create(SYSTEM_ACTOR, APP, 'supplier', {
      name: '重复电话', phone: '+86 138-0013-8000',
    }, { locale: 'en' })
    await expect(attempt).rejects.toMatchObject({
      code: 'conflict.unique',
      issues: [{ field: 'phone', rule: 'unique' }],
    })
  })

  it('refuses a credit code with a wrong check character before writing', async () => {
    const attempt = records.create(SYSTEM_ACTOR, APP, 'supplier', {
      name: '错码', credit_code: '91330100799655058C',
    })
    await expect(attempt).rejects.toMatchObject({
      code: 'validation.failed',
      issues: [{ field: 'credit_code', rule: 'format', expected: { format: 'uscc', reason: 'check' } }],
    })
  })

  it('searches phone, e-mail, region and credit code text with q', async () => {
    for (const q of ['13800138000', 'example.com', '杭州', '91330100']) {
      const page = await records.list(SYSTEM_ACTOR, APP, 'supplier', { q })
      expect([q, page.items.map((r) => r.values.name)]).toEqual([q, ['华东材料']])
    }
  })

  it('filters on yes/no values', async () => {
    const page = await records.list(SYSTEM_ACTOR, APP, 'supplier', {
      filter: { '==': [{ var: 'active' }, false] },
    })
    expect(page.items.map((r) => r.values.name)).toEqual(['华东材料'])
  })
})
