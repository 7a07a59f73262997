import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { runImport } from '../src/index.js'

const person: FormDefinition = {
  key: 'person',
  label: '人员',
  titleField: 'code',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true, unique: true },
    { key: 'name', type: 'text', label: '姓名', required: true },
  ],
}

const mapping = {
  key: 'people',
  label: '人员',
  format: 'csv',
  columns: { code: { type: 'text', required: true }, name: { type: 'text', required: true } },
  records: [{ as: 'person', form: 'person', key: ['code'], values: { code: { var: 'row.code' }, name: { var: 'row.name' } } }],
}

// What a file can do wrong, and what the importer must say instead of
// storing something else than the file holds.
describe.each(databaseSuites())('CSV input on $name', (suite) => {
  let database: Database
  let context: { database: Database; catalog: Catalog; records: RecordService }
  const dir = mkdtempSync(join(tmpdir(), 'tessera-csv-'))
  let n = 0
  const file = (content: string | Buffer) => {
    const path = join(dir, `f${n++}.csv`)
    writeFileSync(path, content)
    return path
  }
  const people = async () => (await sql<{ code: string; name: string }>`
    select code, name from csv_test.person order by code`.execute(database.db)).rows

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    await catalog.saveApp({ key: 'csv-test', label: 'CSV' })
    await catalog.saveDraft('csv-test', person)
    await catalog.publish('csv-test', ['person'], SYSTEM_ACTOR)
    await catalog.putMeta('csv-test', 'import', 'people', mapping, SYSTEM_ACTOR)
    context = { database, catalog, records: new RecordService(database, catalog) }
  })
  afterAll(() => database?.close())

  const load = (path: string) => runImport(context, 'csv-test', 'people', path, { actor: SYSTEM_ACTOR })

  it('reads every row when line ends are mixed', async () => {
    const result = await load(file('code,name\r\nA1,甲\nA2,乙\r\nA3,丙\n'))
    expect(result).toMatchObject({ status: 'succeeded', rows: 3 })
    expect((await people()).map((p) => p.code)).toEqual(['A1', 'A2', 'A3'])
  })

  it('refuses a row with more cells than the header, naming the line', async () => {
    await expect(load(file('code,name\nB1,甲\nB2,乙,extra\n'))).rejects.toMatchObject({
      code: 'import.invalid', details: { line: 3 },
    })
    expect((await people()).some((p) => p.code.startsWith('B'))).toBe(false)
  })

  it('refuses text that is not UTF-8 instead of storing replacement characters', async () => {
    const gbk = Buffer.concat([Buffer.from('code,name\nC1,'), Buffer.from([0xbf, 0xcd, 0xbb, 0xa7]), Buffer.from('\n')])
    await expect(load(file(gbk))).rejects.toMatchObject({
      code: 'import.invalid', message: expect.stringContaining('not UTF-8'),
    })
  })

  it('reports a NUL character as a bad cell', async () => {
    const result = await load(file('code,name\nD1,a\u0000b\n'))
    expect(result.status).toBe('rejected')
    expect(result.errors).toMatchObject([{ line: 2, column: 'name', message: expect.stringContaining('NUL') }])
  })

  it('reports a key met again with other values instead of keeping the last', async () => {
    const result = await load(file('code,name\nE1,甲\nE2,乙\nE1,丙\n'))
    expect(result.status).toBe('rejected')
    expect(result.errors).toMatchObject([{ line: 4, message: '「编号」为 "E1" 的人员已在第 2 行出现，但其他值不同' }])
    const same = await load(file('code,name\nE1,甲\nE1,甲\n'))
    expect(same).toMatchObject({ status: 'succeeded', rows: 2 })
  })

  it('refuses an empty file and a header that repeats a column', async () => {
    await expect(load(file(''))).rejects.toMatchObject({ code: 'import.invalid', message: expect.stringContaining('empty') })
    await expect(load(file('\n\n'))).rejects.toMatchObject({ code: 'import.invalid' })
    await expect(load(file('code,name,name\nF1,a,b\n'))).rejects.toMatchObject({
      code: 'import.invalid', message: expect.stringContaining('name'),
    })
  })
})

// Every change to a record is audited with its values before and after,
// updates made by an import included.
describe.each(databaseSuites())('an import’s audit trail on $name', (suite) => {
  let database: Database
  let context: { database: Database; catalog: Catalog; records: RecordService }
  const dir = mkdtempSync(join(tmpdir(), 'tessera-csv-audit-'))

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    await catalog.saveApp({ key: 'csv-test', label: 'CSV' })
    await catalog.saveDraft('csv-test', person)
    await catalog.publish('csv-test', ['person'], SYSTEM_ACTOR)
    await catalog.putMeta('csv-test', 'import', 'people', mapping, SYSTEM_ACTOR)
    context = { database, catalog, records: new RecordService(database, catalog) }
  })
  afterAll(() => database?.close())

  it('records the values an import replaced', async () => {
    const first = join(dir, 'first.csv')
    const second = join(dir, 'second.csv')
    writeFileSync(first, 'code,name\nG1,甲\nG2,乙\n')
    writeFileSync(second, 'code,name\nG1,甲\nG2,丙\n')
    await runImport(context, 'csv-test', 'people', first, { actor: SYSTEM_ACTOR })
    const again = await runImport(context, 'csv-test', 'people', second, { actor: SYSTEM_ACTOR })
    expect(again.forms.person).toMatchObject({ created: 0, updated: 1, unchanged: 1 })

    const { rows } = await sql<{ action: string; before: unknown; after: unknown }>`
      select action, before, after from tessera.audit
      where app_key = 'csv-test' and form_key = 'person' and action like 'record.%' order by id`
      .execute(database.db)
    expect(rows).toEqual([
      { action: 'record.create', before: null, after: { code: 'G1', name: '甲' } },
      { action: 'record.create', before: null, after: { code: 'G2', name: '乙' } },
      { action: 'record.update', before: { code: 'G2', name: '乙' }, after: { code: 'G2', name: '丙' } },
    ])
  })
})
