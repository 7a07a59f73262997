import { CompiledQuery } from 'kysely'
import { parsePeriod, previousPeriod } from '@tessera/core'
import { Platform, checkReportSpec, compileReport } from '@tessera/platform'
import { openDatabase } from '@tessera/store'
import { probes } from './hand-written.js'
const END = process.env.ASOF ?? '2026-06-30'
const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${process.env.DBNAME ?? 'bench1m'}`, poolSize: Number(process.env.POOL ?? 4) })
const platform = new Platform(database, { reportCache: { entries: 0, maxRows: 0, ttlMs: 0 } })
const APP = 'customer-settlement'
const from = `${END.slice(0, 7)}-01`
const period = parsePeriod(`${from}..${END}`)!
const before = previousPeriod(period)
const forms = platform.catalog.resolver(APP)
const queries: CompiledQuery[] = []
for (const probe of probes(END, period.from, period.to, [before.from, before.to])) {
  const spec = await checkReportSpec(await platform.catalog.getMeta(APP, 'report', probe.report), forms)
  const compiled = await compileReport(spec, forms, probe.params, { timeZone: 'Asia/Shanghai', locale: 'zh-CN', ...(probe.group ? { group: probe.group } : {}) })
  const c = compiled.query.compile(database.db)
  queries.push(CompiledQuery.raw(c.sql, [...c.parameters]))
}
const prefix = process.env.PREFIX ?? ''
const run = async (q: CompiledQuery) => {
  if (!prefix) return database.db.executeQuery(q)
  return database.db.transaction().execute(async (trx) => {
    for (const stmt of prefix.split(';')) await trx.executeQuery(CompiledQuery.raw(stmt))
    return trx.executeQuery(q)
  })
}
for (let round = 0; round < 3; round++) {
  let t = performance.now()
  for (const q of queries) await run(q)
  const seq = performance.now() - t
  t = performance.now()
  await Promise.all(queries.map(run))
  console.log(`sequential ${seq.toFixed(0)} ms, all at once ${(performance.now() - t).toFixed(0)} ms`)
}
await platform.close()
