import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor, type FormDefinition, type SortSpec } from '@tessera/core'
import { Catalog, Permissions, RecordService, RoleDocuments, type Database, type ListOptions } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'
import { APP, client, ROLES } from './access-fixtures.js'

const ledger: FormDefinition = {
  key: 'ledger',
  label: '台账',
  titleField: 'code',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true },
    { key: 'amount', type: 'money', label: '金额' },
    { key: 'due', type: 'date', label: '到期日' },
    {
      key: 'state', type: 'select', label: '状态',
      options: [{ value: 'open', label: '未结' }, { value: 'paid', label: '已结' }],
    },
    {
      key: 'tags', type: 'multiselect', label: '标签',
      options: [{ value: 'vip', label: '重点' }, { value: 'new', label: '新客' }, { value: 'old', label: '老客' }],
    },
  ],
}

const rep: Actor = { id: '101', roles: [`${APP}/rep`] }

describe.each(databaseSuites())('list filters and cursor paging on $name', (suite) => {
  let database: Database
  let records: RecordService

  const list = (options: ListOptions, actor: Actor = SYSTEM_ACTOR, form = 'ledger', app = 'books') =>
    records.list(actor, app, form, options)
  const codes = async (filter: unknown) =>
    (await list({ filter, pageSize: 100, sort: [{ field: 'code', dir: 'asc' }] })).items.map((r) => r.values.code)

  /** Every id of a list, walked with `next` cursors, then back with `prev`. */
  async function walk(options: ListOptions, actor: Actor = SYSTEM_ACTOR, form = 'ledger', app = 'books') {
    const pages: number[][] = []
    let page = await records.list(actor, app, form, { ...options, pageSize: 4 })
    pages.push(page.items.map((r) => r.id))
    while (page.next) {
      page = await records.list(actor, app, form, { ...options, pageSize: 4, after: page.next })
      pages.push(page.items.map((r) => r.id))
    }
    const back: number[][] = [page.items.map((r) => r.id)]
    while (page.prev) {
      page = await records.list(actor, app, form, { ...options, pageSize: 4, before: page.prev })
      back.unshift(page.items.map((r) => r.id))
    }
    return { pages, back }
  }

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    const permissions = new Permissions(database, catalog)
    records = new RecordService(database, catalog, { permissions })
    await catalog.saveApp({ key: 'books', label: '账簿' })
    await catalog.saveDraft('books', ledger)
    await catalog.publish('books', ['ledger'], SYSTEM_ACTOR)
    const tags = [['vip'], ['new'], [], ['vip', 'old'], null]
    for (let i = 1; i <= 23; i++) {
      await records.create(SYSTEM_ACTOR, 'books', 'ledger', {
        code: i === 7 ? 'A_7%' : `L-${String(i).padStart(2, '0')}`,
        // Ties (every value three times) and nulls.
        amount: i % 5 === 0 ? null : `${(i % 4) * 100}.50`,
        due: i % 6 === 0 ? null : `2026-0${(i % 3) + 1}-1${i % 10}`,
        state: i % 2 ? 'open' : 'paid',
        tags: tags[i % 5],
      })
    }

    await catalog.saveApp({ key: APP, label: '销售台账' })
    await catalog.saveDraft(APP, client)
    await catalog.publish(APP, ['client'], SYSTEM_ACTOR)
    const roles = new RoleDocuments(database, catalog)
    for (const role of ROLES.filter((r) => r.key === 'rep')) {
      await roles.save(SYSTEM_ACTOR, APP, { ...role, forms: { client: role.forms!.client } })
    }
    for (let i = 1; i <= 11; i++) {
      await records.create(SYSTEM_ACTOR, APP, 'client', {
        code: `C${i}`, name: `客户${i % 3}`, owner: i % 3 === 0 ? '102' : '101', secret_note: `n${i % 2}`,
      })
    }
  })
  afterAll(() => database?.close())

  it('filters by prefix, substring, range and list membership', async () => {
    expect(await codes({ startsWith: [{ var: 'code' }, 'l-0'] })).toHaveLength(8)
    expect(await codes({ contains: [{ var: 'code' }, '_7%'] })).toEqual(['A_7%'])
    // % and _ match themselves, not any text.
    expect(await codes({ startsWith: [{ var: 'code' }, 'L_'] })).toEqual([])
    expect(await codes({ contains: [{ var: 'code' }, '%'] })).toEqual(['A_7%'])
    const between = await list({ filter: { between: [{ var: 'amount' }, '100.50', '200.50'] }, pageSize: 100 })
    expect(between.items.every((r) => ['100.50', '200.50'].includes(r.values.amount as string))).toBe(true)
    expect(between.total).toBe(10)
    const dates = await list({ filter: { between: [{ var: 'due' }, '2026-02-01', '2026-02-28'] }, pageSize: 100 })
    expect(dates.items.map((r) => (r.values.due as string).slice(0, 7))).toEqual(
      Array(dates.total).fill('2026-02'))
    const vipOrOld = await list({ filter: { in: [{ var: 'tags' }, ['vip', 'old']] }, pageSize: 100 })
    expect(vipOrOld.items.every((r) => (r.values.tags as string[]).includes('vip'))).toBe(true)
    expect(vipOrOld.total).toBe(9)
    const notVip = await list({ filter: { '!': { in: [{ var: 'tags' }, ['vip']] } }, pageSize: 100 })
    expect(notVip.total).toBe(23 - 9)
  })

  it('takes values as parameters and field names only from the form', async () => {
    const attack = "x' or 1=1; drop table books.ledger; --"
    expect(await codes({ contains: [{ var: 'code' }, attack] })).toEqual([])
    expect(await codes({ startsWith: [{ var: 'code' }, attack] })).toEqual([])
    expect(await codes({ between: [{ var: 'code' }, attack, "z'"] })).toEqual([])
    for (const name of ['code; drop table x', 't.code', 'code" or "1"="1', '_version']) {
      await expect(codes({ contains: [{ var: name }, 'a'] })).rejects.toMatchObject({
        code: 'request.invalid', message: expect.stringContaining('a field of form "ledger"'),
      })
    }
    await expect(codes({ between: [{ var: 'amount' }, '1'] })).rejects.toMatchObject({
      code: 'request.invalid', message: expect.stringContaining('a lower and an upper bound'),
    })
    await expect(codes({ startsWith: [{ var: 'code' }, 5] })).rejects.toMatchObject({ code: 'request.invalid' })
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from books.ledger`.execute(database.db)
    expect(rows[0].n).toBe(23)
  })

  const sorts: [string, SortSpec[]][] = [
    ['no sort (id descending)', []],
    ['amount ascending, nulls and ties', [{ field: 'amount', dir: 'asc' }]],
    ['amount descending', [{ field: 'amount', dir: 'desc' }]],
    ['state then due descending', [{ field: 'state', dir: 'asc' }, { field: 'due', dir: 'desc' }]],
    ['id ascending', [{ field: 'id', dir: 'asc' }]],
  ]
  it.each(sorts)('pages by cursor in the order of offsets: %s', async (_name, sort) => {
    const whole = (await list({ sort, pageSize: 100 })).items.map((r) => r.id)
    expect(whole).toHaveLength(23)
    const { pages, back } = await walk({ sort })
    expect(pages.flat()).toEqual(whole)
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 3])
    expect(back).toEqual(pages)
    // Offsets give the same pages.
    const third = await list({ sort, pageSize: 4, page: 3 })
    expect(third.items.map((r) => r.id)).toEqual(pages[2])
    const fourth = await list({ sort, pageSize: 4, after: third.next! })
    expect(fourth.items.map((r) => r.id)).toEqual(pages[3])
  })

  it('pages a filtered list by cursor, ties broken by id', async () => {
    const filter = { '==': [{ var: 'state' }, 'open'] }
    const sort: SortSpec[] = [{ field: 'amount', dir: 'asc' }]
    const whole = (await list({ filter, sort, pageSize: 100 })).items
    const { pages } = await walk({ filter, sort })
    expect(pages.flat()).toEqual(whole.map((r) => r.id))
    const sameAmount = whole.filter((r) => r.values.amount === '100.50').map((r) => r.id)
    expect(sameAmount).toEqual([...sameAmount].sort((a, b) => b - a))
  })

  it('applies row rules and hidden fields to cursor pages', async () => {
    const sort: SortSpec[] = [{ field: 'secret_note', dir: 'asc' }, { field: 'name', dir: 'desc' }]
    const mine = await records.list(rep, APP, 'client', { sort, pageSize: 100 })
    expect(mine.items).toHaveLength(8)
    expect(mine.items.every((r) => r.values.owner === '101' && r.values.secret_note === undefined)).toBe(true)
    const { pages, back } = await walk({ sort }, rep, 'client', APP)
    expect(pages.flat()).toEqual(mine.items.map((r) => r.id))
    expect(back).toEqual(pages)
    // The hidden note sorts as null for the rep: a cursor cannot reveal it.
    const first = await records.list(rep, APP, 'client', { sort, pageSize: 3 })
    const token = JSON.parse(Buffer.from(first.next!, 'base64url').toString())
    expect(token[1][0]).toBeNull()
  })

  it('counts exactly up to a limit, then says it did not', async () => {
    const exact = await list({ pageSize: 2 })
    expect(exact).toMatchObject({ total: 23, totalExact: true, totalKind: 'exact' })
    const capped = await list({ pageSize: 2, countUpTo: 5, filter: { '==': [{ var: 'state' }, 'open'] } })
    expect(capped).toMatchObject({ total: 5, totalExact: false, totalKind: 'atLeast' })
    await sql`analyze books.ledger`.execute(database.db)
    const estimated = await list({ pageSize: 2, countUpTo: 5 })
    expect(estimated).toMatchObject({ total: 23, totalExact: false, totalKind: 'estimate' })
  })

  it('creates the index of an `indexed` field on publish and drops it when unmarked', async () => {
    const catalog = new Catalog(database)
    const indexes = async () => (await sql<{ indexdef: string }>`
      select indexdef from pg_indexes where schemaname = 'books' and tablename = 'ledger'
        and indexname like '%_sort'`.execute(database.db)).rows.map((r) => r.indexdef)
    const mark = async (indexed: boolean) => {
      const fields = ledger.fields.map((f) => (f.key === 'due' ? { ...f, indexed } : f))
      const current = await catalog.getForm('books', 'ledger')
      const columns = new Map(current.definition.fields.map((f) => [f.key, f.column]))
      await catalog.saveDraft('books', { ...ledger, fields: fields.map((f) => ({ ...f, column: columns.get(f.key) })) })
      await catalog.publish('books', ['ledger'], SYSTEM_ACTOR)
    }
    expect(await indexes()).toEqual([])
    await mark(true)
    expect(await indexes()).toEqual([expect.stringMatching(/\(due, id\)/)])
    const sorted = await list({ sort: [{ field: 'due', dir: 'desc' }], pageSize: 100 })
    expect(sorted.items).toHaveLength(23)
    await mark(false)
    expect(await indexes()).toEqual([])
  })

  it('refuses cursors that are not from this list', async () => {
    const page = await list({ pageSize: 2, sort: [{ field: 'amount', dir: 'asc' }] })
    await expect(list({ after: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'request.invalid', message: expect.stringContaining('after: expected a cursor'),
    })
    await expect(list({ after: page.next!, sort: [{ field: 'due', dir: 'asc' }] })).rejects.toMatchObject({
      code: 'request.invalid', message: expect.stringContaining('the sort changed'),
    })
    const forged = Buffer.from(JSON.stringify(['amount,-id', ['lots'], 1])).toString('base64url')
    await expect(list({ before: forged, sort: [{ field: 'amount', dir: 'asc' }] })).rejects.toMatchObject({
      code: 'request.invalid', message: expect.stringContaining('before: expected a cursor'),
    })
    await expect(list({ after: page.next!, before: page.next! })).rejects.toMatchObject({
      code: 'request.invalid',
    })
  })
})
