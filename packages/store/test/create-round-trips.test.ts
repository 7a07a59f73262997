import { sql, type KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, Database, RecordService } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'ledger-lab'

const account: FormDefinition = {
  key: 'account',
  label: '账户',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true },
    { key: 'region', type: 'text', label: '地区' },
    { key: 'limit', type: 'money', label: '额度' },
  ],
}
const entry: FormDefinition = {
  key: 'entry',
  label: '分录',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true, unique: true },
    { key: 'account', type: 'link', form: 'account', label: '账户', required: true },
    { key: 'region', type: 'lookup', label: '地区', link: 'account', field: 'region' },
    { key: 'amount', type: 'money', label: '金额', required: true },
    { key: 'rate', type: 'percent', label: '税率' },
  ],
}
const withLimit: FormDefinition = {
  ...entry,
  constraints: [{ key: 'within_limit', per: 'account', sum: 'amount', max: 'limit', message: '超出额度' }],
}

// The statements a create sends, counted when their results come back
// (BEGIN and COMMIT do not pass through kysely's plugins).
function counted(database: Database) {
  const statements: string[] = []
  const texts = new WeakMap<object, string>()
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      const node = args.node as { kind: string; sqlFragments?: string[] }
      texts.set(args.queryId, (node.sqlFragments ?? [node.kind]).join('?').replace(/\s+/g, ' ').trim())
      return args.node
    },
    transformResult: async (args) => {
      statements.push(texts.get(args.queryId) ?? '?')
      return args.result
    },
  }
  const watched = new Database(database.db.withPlugin(plugin), database.kind, database.location)
  return { watched, statements }
}

describe.each(databaseSuites())('creating a record in few round trips on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let records: RecordService
  let north: number

  const auditOf = async (id: number) => {
    const { rows } = await sql<{ after: Record<string, unknown> }>`
      select after from tessera.audit
      where app_key = ${APP} and form_key = 'entry' and record_id = ${id}`.execute(database.db)
    return rows
  }

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '分录实验' })
    for (const form of [account, entry]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['account', 'entry'], SYSTEM_ACTOR)
    north = (await records.create(SYSTEM_ACTOR, APP, 'account', { name: '北', region: '华北', limit: '100' })).id
  })
  afterAll(() => database?.close())

  it('reads the new record back inside its insert and audits it as stored, lookups included', async () => {
    const { watched, statements } = counted(database)
    const service = new RecordService(watched, catalog)
    await service.create(SYSTEM_ACTOR, APP, 'entry', { code: 'W-0', account: north, amount: '1' })

    statements.length = 0
    const created = await service.create(SYSTEM_ACTOR, APP, 'entry', {
      code: 'W-1', account: north, amount: '12.5', rate: '0.13',
    })
    // The insert with its read-back, then the audit line alone: no rollups or limits here.
    expect(statements, statements.join('\n')).toHaveLength(2)
    expect(created.values).toEqual({ code: 'W-1', account: north, region: '华北', amount: '12.50', rate: '0.1300' })
    expect(created.titles).toEqual({ account: '北' })
    expect(await auditOf(created.id)).toEqual([{ after: created.values }])
    expect(await records.get(SYSTEM_ACTOR, APP, 'entry', created.id)).toEqual(created)
  })

  it('enforces a limit published later in this process at once, in two statements', async () => {
    await catalog.saveDraft(APP, withLimit)
    await catalog.publish(APP, ['entry'], SYSTEM_ACTOR)
    const { watched, statements } = counted(database)
    const service = new RecordService(watched, catalog)
    await service.create(SYSTEM_ACTOR, APP, 'entry', { code: 'L-0', account: north, amount: '1' })

    statements.length = 0
    const created = await service.create(SYSTEM_ACTOR, APP, 'entry', { code: 'L-1', account: north, amount: '2' })
    // The insert (locking the account, reading back), then the check carrying the audit line.
    expect(statements, statements.join('\n')).toHaveLength(2)
    expect(await auditOf(created.id)).toEqual([{ after: created.values }])

    const attempt = records.create(SYSTEM_ACTOR, APP, 'entry', { code: 'L-2', account: north, amount: '90' })
    await expect(attempt).rejects.toMatchObject({ code: 'conflict.constraint' })
  })

  it('leaves neither the record nor its audit line when the limit refuses it', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from tessera.audit`.execute(database.db)
    const attempt = records.create(SYSTEM_ACTOR, APP, 'entry', { code: 'X-1', account: north, amount: '500' })
    await expect(attempt).rejects.toMatchObject({ code: 'conflict.constraint' })
    const after = await sql<{ n: number }>`select count(*)::int as n from tessera.audit`.execute(database.db)
    expect(after.rows[0].n).toBe(before.rows[0].n)
    const { rows } = await sql`select id from ledger_lab.entry where code = 'X-1'`.execute(database.db)
    expect(rows).toEqual([])
  })

  it('turns a duplicate into a field issue on the combined insert', async () => {
    const attempt = records.create(SYSTEM_ACTOR, APP, 'entry', { code: 'W-1', account: north, amount: '1' }, { locale: 'en' })
    await expect(attempt).rejects.toMatchObject({ code: 'conflict.unique', issues: [{ field: 'code', rule: 'unique' }] })
  })

  it('never lets parallel writers past the limit when the lock rides in the insert', async () => {
    const tight = (await records.create(SYSTEM_ACTOR, APP, 'account', { name: '南', limit: '10' })).id
    const attempts = Array.from({ length: 30 }, (_, n) =>
      records.create(SYSTEM_ACTOR, APP, 'entry', { code: `P-${n}`, account: tight, amount: '1' }))
    const results = await Promise.allSettled(attempts)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10)
    const { rows } = await sql<{ total: string }>`
      select sum(amount)::text as total from ledger_lab.entry where account_id = ${tight}`.execute(database.db)
    expect(rows[0].total).toBe('10.00')
  })
})
