/**
 * Record lists at a million rows on real PostgreSQL: RecordQuery.list
 * (page query plus the capped count) against a hand-written SQL query for
 * the same page, in the same run. Run:
 *   npx tsx packages/store/bench/list-bench.ts [rows]
 * Needs the PostgreSQL of TESSERA_TEST_PG (default 127.0.0.1:5432); makes
 * and drops a throwaway database.
 */
import { sql } from 'kysely'
import { SYSTEM_ACTOR, type FormDefinition, type SortSpec } from '@tessera/core'
import { Catalog, RecordQuery, migrate, openDatabase, type Db } from '../src/index.js'
import { countList, EXACT_COUNT_UP_TO } from '../src/list-count.js'
import { encodeCursor, sortKeys, sortSignature } from '../src/list-cursor.js'
import { readListPage } from '../src/list-page.js'
import { createTestPostgresUrl } from '../src/testing.js'

const ROWS = Number(process.argv[2] ?? 1_000_000)
const PAGE_SIZE = 20
const DEEP_PAGE = Math.min(40_000, Math.floor(ROWS / PAGE_SIZE) - 1)
const RUNS = 5

const item: FormDefinition = {
  key: 'item',
  label: '条目',
  titleField: 'code',
  fields: [
    { key: 'code', type: 'text', label: '编号' },
    { key: 'amount', type: 'money', label: '金额', indexed: true },
    { key: 'region', type: 'text', label: '地区' },
    { key: 'due', type: 'date', label: '到期日' },
  ],
}

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    await run()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]
}

async function main() {
  const { url, drop } = await createTestPostgresUrl()
  const database = await openDatabase({ url, poolSize: 2 })
  try {
    await migrate(database)
    const catalog = new Catalog(database)
    await catalog.saveApp({ key: 'bench', label: '基准' })
    await catalog.saveDraft('bench', item)
    const [form] = await catalog.publish('bench', ['item'], SYSTEM_ACTOR)
    const table = sql.table(`${form.table.schema}.${form.table.name}`)
    const col = (key: string) => form.definition.fields.find((f) => f.key === key)!.column!
    const db: Db = database.db

    let start = performance.now()
    await sql`insert into ${table} (_created_by, _updated_by, ${sql.id(col('code'))},
        ${sql.id(col('amount'))}, ${sql.id(col('region'))}, ${sql.id(col('due'))})
      select 'bench', 'bench', 'C-' || i, ((i::bigint * 7919) % 1000003) / 100.0,
        (array['华东','华南','华北','西南','东北'])[1 + i % 5] || '-' || (i % 997),
        date '2020-01-01' + (i % 2000)
      from generate_series(1, ${ROWS}) as i`.execute(db)
    await sql`analyze ${table}`.execute(db)
    console.log(`filled ${ROWS} rows in ${((performance.now() - start) / 1000).toFixed(1)} s`)

    const query = new RecordQuery(catalog)
    const cases: { name: string; sort: SortSpec[] }[] = [
      { name: 'id desc (primary key)', sort: [] },
      { name: 'amount asc (indexed: true)', sort: [{ field: 'amount', dir: 'asc' }] },
      { name: 'amount desc (indexed: true)', sort: [{ field: 'amount', dir: 'desc' }] },
      { name: 'region asc (no index)', sort: [{ field: 'region', dir: 'asc' }] },
    ]
    const countMs = await median(() =>
      countList(db, form, sql`${table} as t`, sql``, true, EXACT_COUNT_UP_TO))
    console.log(`page size ${PAGE_SIZE}, median of ${RUNS} runs`)
    console.log(`list() = page read + capped count (${countMs.toFixed(1)} ms on the whole table)`)
    console.log('sort | page | list() ms | page read ms | SQL ms | page read / SQL | list() / SQL')
    for (const { name, sort } of cases) {
      const keys = sortKeys(form, sort)
      const order = sql.join(keys.map((k) =>
        sql`${sql.ref(k.column)} ${sql.raw(k.dir)}${sql.raw(k.nullable ? ' nulls last' : '')}`))
      const first = keys[0]
      const cursorAt = async (offset: number) => {
        const { rows } = await sql<{ v: string | null; id: number }>`
          select ${sql.ref(first.column)}::text as v, id from ${table}
          order by ${order} limit 1 offset ${offset}`.execute(db)
        const values = keys.length > 1 ? [rows[0].v] : []
        return { token: encodeCursor({ sort: sortSignature(keys), values, id: rows[0].id }), ...rows[0] }
      }
      const handKeyset = (v: string | null, id: number) => {
        if (first.column === 'id') {
          return sql`select * from ${table} where id < ${id} order by id desc limit ${PAGE_SIZE}`
        }
        const ref = sql.ref(first.column)
        const [op, strict] = first.dir === 'asc' ? ['>=', '>'] : ['<=', '<']
        return sql`select * from ${table} where ${ref} ${sql.raw(op)} ${v}
          and (${ref} ${sql.raw(strict)} ${v} or (${ref} = ${v} and id < ${id}))
          order by ${ref} ${sql.raw(first.dir)}, id desc limit ${PAGE_SIZE}`
      }
      const report = async (page: string, at: { page?: number; after?: string }, hand: () => Promise<unknown>) => {
        const a = await median(() => query.list(db, SYSTEM_ACTOR, form, { sort, pageSize: PAGE_SIZE, ...at }))
        const p = await median(() => readListPage(db, {
          keys, where: sql``, page: at.page ?? 1, pageSize: PAGE_SIZE, after: at.after,
          source: sql`${table} as t`,
          from: async (base) => ({ select: sql`t.*`, items: base ?? sql`${table} as t` }),
        }))
        const b = await median(hand)
        console.log(`${name} | ${page} | ${a.toFixed(1)} | ${p.toFixed(1)} | ${b.toFixed(1)} | ` +
          `${(p / b).toFixed(2)} | ${(a / b).toFixed(2)}`)
      }

      await report('1', {}, () => sql`select * from ${table} order by ${order} limit ${PAGE_SIZE}`.execute(db))
      const second = await cursorAt(PAGE_SIZE - 1)
      await report('2 by cursor', { after: second.token }, () => handKeyset(second.v, second.id).execute(db))
      const deep = await cursorAt(DEEP_PAGE * PAGE_SIZE - 1)
      await report(`${DEEP_PAGE + 1} by cursor`, { after: deep.token },
        () => handKeyset(deep.v, deep.id).execute(db))
      await report(`${DEEP_PAGE + 1} by offset`, { page: DEEP_PAGE + 1 },
        () => sql`select * from ${table} order by ${order} limit ${PAGE_SIZE}
          offset ${DEEP_PAGE * PAGE_SIZE}`.execute(db))
    }

    const filter = { startsWith: [{ var: 'region' }, '华南-1'] }
    start = performance.now()
    const filtered = await query.list(db, SYSTEM_ACTOR, form, { filter, pageSize: PAGE_SIZE })
    console.log(`filter region starts with 华南-1: ${(performance.now() - start).toFixed(1)} ms, ` +
      `total ${filtered.total} (${filtered.totalKind})`)
    const whole = await query.list(db, SYSTEM_ACTOR, form, { pageSize: PAGE_SIZE })
    console.log(`whole table total: ${whole.total} (${whole.totalKind})`)
  } finally {
    await database.close()
    await drop()
  }
}

await main()
