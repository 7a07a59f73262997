import { CompiledQuery } from 'kysely'
import { parsePeriod, previousPeriod } from '@tessera/core'
import { Platform, checkReportSpec, compileReport } from '@tessera/platform'
import { openDatabase } from '@tessera/store'
import { probes } from './hand-written.js'
const END = process.env.ASOF ?? '2026-06-30'
const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${process.env.DBNAME ?? 'bench1m'}`, poolSize: 2 })
const platform = new Platform(database, { reportCache: { entries: 0, maxRows: 0, ttlMs: 0 } })
const APP = 'customer-settlement'
const from = `${END.slice(0, 7)}-01`
const period = parsePeriod(`${from}..${END}`)!
const before = previousPeriod(period)
const forms = platform.catalog.resolver(APP)
const only = process.env.ONLY
let total = 0
for (const probe of probes(END, period.from, period.to, [before.from, before.to])) {
  if (only && probe.widget !== only) continue
  const spec = await checkReportSpec(await platform.catalog.getMeta(APP, 'report', probe.report), forms)
  const compiled = await compileReport(spec, forms, probe.params, { timeZone: 'Asia/Shanghai', locale: 'zh-CN', ...(probe.group ? { group: probe.group } : {}) })
  const c = compiled.query.compile(database.db)
  const t = performance.now()
  const r = await database.db.executeQuery(CompiledQuery.raw((process.env.EXPLAIN ? 'explain (analyze, buffers) ' : '') + c.sql, [...c.parameters]))
  const ms = performance.now() - t
  total += ms
  console.log(`== ${probe.widget} ${probe.report} ${ms.toFixed(0)} ms`)
  if (process.env.SQL) console.log(c.sql, JSON.stringify(c.parameters))
  if (process.env.EXPLAIN) console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'))
}
console.log('total', total.toFixed(0))
await platform.close()
