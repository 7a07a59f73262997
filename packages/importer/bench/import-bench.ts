/**
 * How fast a large file imports into a form on real PostgreSQL, against a
 * raw COPY of the same rows into a bare table in the same run, and how
 * much memory the import needs. Run: `npx tsx packages/importer/bench/import-bench.ts`
 * (TESSERA_TEST_PG names the server; BENCH_ROWS the row count, 100000 by default).
 */
import { createReadStream, createWriteStream, chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, migrate, openDatabase, RecordService } from '@tessera/store'
import { createTestPostgresUrl } from '@tessera/store/testing'
import { importForm } from '../src/index.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const APP = 'bench'

const order: FormDefinition = {
  key: 'order_line',
  label: '订单行',
  fields: [
    { key: 'number', type: 'text', label: '单号', required: true, unique: true },
    { key: 'customer', type: 'text', label: '客户', required: true },
    { key: 'ordered', type: 'date', label: '下单日期', required: true },
    { key: 'qty', type: 'number', label: '数量', integer: true, min: 1 },
    { key: 'price', type: 'money', label: '单价', required: true },
    { key: 'rate', type: 'percent', label: '税率' },
    { key: 'status', type: 'select', label: '状态', options: [
      { value: 'open', label: '未结' }, { value: 'paid', label: '已结' },
    ] },
    { key: 'total', type: 'formula', label: '金额', result: 'money',
      expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] } },
  ],
}
const columns = { 单号: 'number', 客户: 'customer', 下单日期: 'ordered', 数量: 'qty', 单价: 'price', 税率: 'rate', 状态: 'status' }

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path)
  out.write(`${Object.keys(columns).join(',')}\n`)
  for (let index = 1; index <= ROWS; index += 1) {
    const day = String((index % 28) + 1).padStart(2, '0')
    const line = `ORD-${String(index).padStart(7, '0')},客户${index % 997},2025-03-${day},` +
      `${(index % 9) + 1},${(index % 500) + 0.25},${index % 2 ? '13%' : '6%'},${index % 3 ? '未结' : '已结'}\n`
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'tessera-bench-'))
  chmodSync(folder, 0o755)
  const file = join(folder, 'orders.csv')
  await writeFile(file)
  chmodSync(file, 0o644)

  const { url, drop } = await createTestPostgresUrl()
  const database = await openDatabase({ url, poolSize: 2 })
  try {
    await migrate(database)
    const catalog = new Catalog(database)
    const records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '基准' })
    await catalog.saveDraft(APP, order)
    await catalog.publish(APP, [order.key], SYSTEM_ACTOR)
    const form = await catalog.getForm(APP, order.key)

    // The same rows, COPYed by the server itself into a bare table.
    await sql`create table bench.raw_copy (number text, customer text, ordered date, qty int,
      price numeric(20,2), rate text, status text)`.execute(database.db)
    const copyStarted = performance.now()
    await sql`copy bench.raw_copy from ${sql.lit(file)} with (format csv, header true)`.execute(database.db)
    const copySeconds = (performance.now() - copyStarted) / 1000

    const baseline = process.memoryUsage().rss
    let peak = baseline
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
    const started = performance.now()
    const cpu = process.cpuUsage()
    const result = await importForm({ database, catalog, records }, form, createReadStream(file), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, batchSize: 1000,
      onProgress: (read) => {
        if (read % (ROWS / 5) !== 0 || !process.env.BENCH_TRACE) return
        const gc = (globalThis as { gc?: () => void }).gc
        gc?.()
        console.error(`${read} rows: heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB`)
      },
    })
    const seconds = (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    clearInterval(sampler)

    if (result.status !== 'succeeded') throw new Error(`import rejected: ${JSON.stringify(result.errors.slice(0, 3))}`)
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from bench.order_line`.execute(database.db)
    const importRate = ROWS / seconds
    const copyRate = ROWS / copySeconds
    console.log(JSON.stringify({
      rows: ROWS,
      stored: rows[0].n,
      importSeconds: round(seconds),
      importCpuSeconds: round((used.user + used.system) / 1e6),
      importRowsPerSecond: Math.round(importRate),
      copySeconds: round(copySeconds),
      copyRowsPerSecond: Math.round(copyRate),
      importToCopyRatio: round(importRate / copyRate),
      baselineRssMb: Math.round(baseline / 1024 / 1024),
      peakRssMb: Math.round(peak / 1024 / 1024),
    }, null, 2))
  } finally {
    await database.close()
    await drop()
    rmSync(folder, { recursive: true, force: true })
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

await main()
