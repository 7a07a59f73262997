/**
 * How fast records are created over HTTP — session check, permissions,
 * validation, formulas, a cross-record constraint, the write and its audit
 * row — against a bare INSERT plus an audit row sent straight to
 * PostgreSQL from Node (one transaction each, through the same driver,
 * its two statements prepared as the product's are), both with 8
 * concurrent clients in the same run. For scale it also runs
 * the same HTTP clients against a route that does nothing, and prints the
 * CPU milliseconds each phase cost per operation, by side (see cpu-time.ts).
 * The HTTP and bare phases take turns for BENCH_ROUNDS rounds (3 by
 * default); the ratio printed is of the mean rates, with each round's too.
 * Run: `npx tsx apps/server/bench/create-bench.ts` (TESSERA_TEST_PG names
 * the server; BENCH_SECONDS the length of each phase, 5 by default;
 * BENCH_WARMUP seconds of unmeasured load of each kind first, 3 by default).
 */
import type { AddressInfo } from 'node:net'
import { Worker } from 'node:worker_threads'
import { sql } from 'kysely'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { migrate, openDatabase, PREPARE, type Database } from '@tessera/store'
import { createTestPostgresUrl } from '@tessera/store/testing'
import Fastify from 'fastify'
import { buildServer } from '../src/index.js'
import { withCpuTime, type CpuPerOperation } from './cpu-time.js'

const CLIENTS = 8
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3)
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
const APP = 'bench'

const account: FormDefinition = {
  key: 'account',
  label: '账户',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true, unique: true },
    { key: 'limit', type: 'money', label: '额度', required: true },
  ],
}
const entry: FormDefinition = {
  key: 'entry',
  label: '分录',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true, unique: true },
    { key: 'account', type: 'link', form: 'account', label: '账户', required: true },
    { key: 'booked', type: 'date', label: '记账日', required: true },
    { key: 'due', type: 'date', label: '到期日' },
    { key: 'amount', type: 'money', label: '金额', required: true, min: '0.01' },
    { key: 'rate', type: 'percent', label: '税率' },
    { key: 'tax', type: 'formula', label: '税额', result: 'money',
      expression: { 'dec*': [{ var: 'amount' }, { var: 'rate' }] } },
  ],
  rules: [{ key: 'due_after_booked', assert: { 'date>=': [{ var: 'due' }, { var: 'booked' }] },
    message: '到期日不能早于记账日', fields: ['due'] }],
  constraints: [{ key: 'within_limit', per: 'account', sum: 'amount', max: 'limit', message: '超出额度' }],
}

/** Runs `work` in CLIENTS loops for `seconds`; returns the rate and latency percentiles. */
async function load(work: (client: number, n: number) => Promise<void>, seconds = SECONDS): Promise<Phase> {
  const latencies: number[] = []
  const until = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    for (let n = 0; performance.now() < until; n += 1) {
      const begun = performance.now()
      await work(client, n)
      latencies.push(performance.now() - begun)
    }
  }))
  return summary(latencies, (performance.now() - started) / 1000)
}

async function main(): Promise<void> {
  const { url, drop } = await createTestPostgresUrl()
  const database = await openDatabase({ url, poolSize: 10 })
  const bare = await openDatabase({ url, poolSize: CLIENTS })
  const platform = new Platform(database)
  const server = await buildServer(platform)
  try {
    await migrate(database)
    await platform.catalog.saveApp({ key: APP, label: '基准' })
    for (const form of [account, entry]) await platform.catalog.saveDraft(APP, form)
    await platform.catalog.publish(APP, ['account', 'entry'], SYSTEM_ACTOR)
    // One account per client, so that the constraint's locks do not queue clients on each other.
    const accounts: number[] = []
    for (let client = 0; client < CLIENTS; client += 1) {
      const created = await platform.records.create(SYSTEM_ACTOR, APP, 'account', { name: `A${client}`, limit: '1000000000' })
      accounts.push(created.id)
    }
    await server.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`
    const headers = await signIn(base)

    await sql`create table bench.bare (id bigint generated always as identity primary key,
      code text unique, account_id bigint, booked date, due date, amount numeric(20,2),
      rate numeric(20,4), tax numeric(20,2), _created_by text)`.execute(database.db)
    const bareCreate = (prefix: string) => async (client: number, n: number) => {
      await bare.transaction(async (trx) => {
        const code = `${prefix}-${client}-${n}`
        const { rows } = await sql<{ id: number }>`
          ${PREPARE}insert into bench.bare (code, account_id, booked, due, amount, rate, tax, _created_by)
          values (${code}, ${accounts[client]}, '2025-03-01', '2025-03-31', 12.50, 0.13, 1.63, 'bench')
          returning id`.execute(trx)
        await sql`${PREPARE}insert into tessera.audit (actor, action, app_key, form_key, record_id, after)
          values ('bench', 'record.create', ${APP}, 'bare', ${rows[0].id},
            ${JSON.stringify({ code, amount: '12.50' })})`.execute(trx)
      })
    }

    if (WARMUP > 0) {
      await httpLoad(base, headers, accounts, 'W', WARMUP)
      await load(bareCreate('V'), WARMUP)
    }
    // The two sides take turns, so that a stretch of load from elsewhere
    // on a shared machine falls on both rather than on one phase.
    const rounds: { http: Phase & { cpuMsPerOp?: CpuPerOperation }; bare: Phase & { cpuMsPerOp?: CpuPerOperation }; ratio: number }[] = []
    for (let round = 0; round < ROUNDS; round += 1) {
      const http = await withCpuTime(database, () => httpLoad(base, headers, accounts, `H${round}`))
      const direct = await withCpuTime(bare, () => load(bareCreate(`B${round}`)))
      rounds.push({ http, bare: direct, ratio: round2(http.perSecond / direct.perSecond) })
    }
    const httpEmptyRoute = await emptyRoute(database, headers, accounts)

    const httpRate = rounds.reduce((sum, r) => sum + r.http.perSecond, 0) / rounds.length
    const bareRate = rounds.reduce((sum, r) => sum + r.bare.perSecond, 0) / rounds.length
    console.log(JSON.stringify({
      clients: CLIENTS,
      secondsPerPhase: SECONDS,
      warmupSeconds: WARMUP,
      rounds,
      httpEmptyRoute,
      httpPerSecond: Math.round(httpRate),
      barePerSecond: Math.round(bareRate),
      httpP99Ms: Math.max(...rounds.map((r) => r.http.p99Ms)),
      httpToBareRatio: round2(httpRate / bareRate),
      roundRatios: rounds.map((r) => r.ratio),
      emptyRouteToBareRatio: round2(httpEmptyRoute.perSecond / bareRate),
    }, null, 2))
  } finally {
    await server.close()
    await bare.close()
    await platform.close()
    await drop()
  }
}

/**
 * The HTTP clients run on a worker thread of their own, so that making
 * requests does not take the server's event loop: only the server's work
 * is measured, as it would be with clients on other machines.
 */
function httpLoad(
  base: string,
  headers: Record<string, string>,
  accounts: number[],
  prefix = 'H',
  seconds = SECONDS,
): Promise<Phase> {
  const worker = new Worker(HTTP_CLIENTS, {
    eval: true,
    workerData: { base, headers, accounts, app: APP, clients: CLIENTS, seconds, prefix },
  })
  return new Promise((resolve, reject) => {
    worker.once('message', (latencies: number[]) => resolve(summary(latencies, seconds)))
    worker.once('error', reject)
  })
}

/**
 * The floor under any HTTP create: the same clients and requests against
 * a fastify route that answers 201 at once, with no session, no engine and
 * no database.
 */
async function emptyRoute(database: Database, headers: Record<string, string>, accounts: number[]) {
  const floor = Fastify({ logger: false })
  floor.post('/api/apps/:app/forms/:form/records', (_request, reply) => {
    void reply.status(201).send({ id: 1 })
  })
  try {
    await floor.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(floor.server.address() as AddressInfo).port}`
    if (WARMUP > 0) await httpLoad(base, headers, accounts, 'W', WARMUP)
    return await withCpuTime(database, () => httpLoad(base, headers, accounts, 'E'))
  } finally {
    await floor.close()
  }
}

/**
 * The clients: each keeps one HTTP/1.1 connection open and writes its
 * requests as ready-made bytes, reading each answer by its Content-Length,
 * as a load tool such as wrk does. A full HTTP client (fetch) costs more
 * CPU per request than a simple create on the server, and it would run on
 * the same two cores as the server, so it would measure itself.
 */
const HTTP_CLIENTS = `
const net = require('node:net')
const { parentPort, workerData } = require('node:worker_threads')
const { base, headers, accounts, app, clients, seconds, prefix } = workerData
const { hostname, port } = new URL(base)
const path = '/api/apps/' + app + '/forms/entry/records'
const head = Object.entries(headers).map(([name, value]) => name + ': ' + value + '\\r\\n').join('')
const latencies = []
const until = performance.now() + seconds * 1000

function client(number) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true })
    let n = 0
    let begun = 0
    let pending = Buffer.alloc(0)
    const send = () => {
      const body = Buffer.from(JSON.stringify({ values: { code: prefix + '-' + number + '-' + n, account: accounts[number],
        booked: '2025-03-01', due: '2025-03-31', amount: '12.50', rate: '0.13' } }))
      n += 1
      begun = performance.now()
      const request = 'POST ' + path + ' HTTP/1.1\\r\\nhost: ' + hostname + '\\r\\n' + head +
        'content-length: ' + body.length + '\\r\\n\\r\\n'
      socket.write(Buffer.concat([Buffer.from(request, 'latin1'), body]))
    }
    socket.on('connect', send)
    socket.on('error', reject)
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      const end = pending.indexOf('\\r\\n\\r\\n')
      if (end < 0) return
      const header = pending.subarray(0, end).toString('latin1')
      const length = Number(/content-length: *(\\d+)/i.exec(header)?.[1] ?? 0)
      if (pending.length < end + 4 + length) return
      const status = Number(header.slice(9, 12))
      if (status !== 201) {
        reject(new Error('create failed: ' + status + ' ' + pending.subarray(end + 4, end + 4 + length).toString()))
        socket.destroy()
        return
      }
      pending = pending.subarray(end + 4 + length)
      latencies.push(performance.now() - begun)
      if (performance.now() < until) send()
      else { socket.end(); resolve() }
    })
  })
}

Promise.all(Array.from({ length: clients }, (_, number) => client(number)))
  .then(() => parentPort.postMessage(latencies))
`

interface Phase {
  requests: number
  perSecond: number
  p50Ms: number
  p99Ms: number
}

function summary(latencies: number[], seconds: number): Phase {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (share: number) => round2(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))])
  return { requests: sorted.length, perSecond: Math.round(sorted.length / seconds), p50Ms: at(0.5), p99Ms: at(0.99) }
}

async function signIn(base: string): Promise<Record<string, string>> {
  const response = await fetch(`${base}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench', password: 'harbour-lights-2026!', displayName: '基准' }),
  })
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${await response.text()}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}

await main()
