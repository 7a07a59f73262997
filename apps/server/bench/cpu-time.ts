/**
 * CPU time spent by each side of a benchmark phase, from Linux's /proc: this
 * process's main thread (the server), threads started during the phase (the
 * HTTP clients' worker), the threads that were already there (V8's
 * compiler and garbage-collector helpers, libuv) and the PostgreSQL
 * backends serving the benchmark's database. On a shared machine the rates
 * move with what else runs; CPU milliseconds per operation move much less.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { sql } from 'kysely'
import type { Database } from '@tessera/store'

/** CPU milliseconds per operation, by side. */
export interface CpuPerOperation {
  serverThread: number
  newThreads: number
  helperThreads: number
  postgres: number
}

// Linux counts CPU time in clock ticks of 1/100 s (USER_HZ).
const TICKS_PER_SECOND = 100

/** Runs a phase and adds the CPU it cost per operation (none where /proc is missing). */
export async function withCpuTime<T extends { requests: number }>(
  database: Database,
  phase: () => Promise<T>,
): Promise<T & { cpuMsPerOp?: CpuPerOperation }> {
  if (!existsSync('/proc/self/task')) return phase()
  const threadsBefore = threadTimes()
  const backends = await backendPids(database)
  const backendsBefore = processTimes(backends)
  // A thread or backend that ends with the phase takes its /proc entry
  // along: sample as the phase runs, and keep the last figure of each.
  let threadsAfter = threadTimes()
  let backendsAfter = processTimes(backends)
  const sampler = setInterval(() => {
    threadsAfter = new Map([...threadsAfter, ...threadTimes()])
    backendsAfter = new Map([...backendsAfter, ...processTimes(backends)])
  }, 100)
  try {
    const result = await phase()
    threadsAfter = new Map([...threadsAfter, ...threadTimes()])
    const seconds = { serverThread: 0, newThreads: 0, helperThreads: 0, postgres: 0 }
    for (const [tid, after] of threadsAfter) {
      const before = threadsBefore.get(tid)
      if (tid === String(process.pid)) seconds.serverThread += after - (before ?? 0)
      else if (before === undefined) seconds.newThreads += after
      else seconds.helperThreads += after - before
    }
    backendsAfter = new Map([...backendsAfter, ...processTimes(await backendPids(database))])
    for (const [pid, after] of backendsAfter) seconds.postgres += after - (backendsBefore.get(pid) ?? 0)
    const perOp = (value: number) => Math.round((value / Math.max(1, result.requests)) * 1e6) / 1000
    return {
      ...result,
      cpuMsPerOp: {
        serverThread: perOp(seconds.serverThread),
        newThreads: perOp(seconds.newThreads),
        helperThreads: perOp(seconds.helperThreads),
        postgres: perOp(seconds.postgres),
      },
    }
  } finally {
    clearInterval(sampler)
  }
}

/** CPU seconds of each process still there; gone ones are left out. */
function processTimes(pids: number[]): Map<number, number> {
  const times = new Map<number, number>()
  for (const pid of pids) {
    const seconds = cpuSeconds(`/proc/${pid}/stat`)
    if (seconds !== undefined) times.set(pid, seconds)
  }
  return times
}

function threadTimes(): Map<string, number> {
  const times = new Map<string, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    const seconds = cpuSeconds(`/proc/self/task/${tid}/stat`)
    if (seconds !== undefined) times.set(tid, seconds)
  }
  return times
}

// Fields 14 and 15 of /proc/<pid>/stat: user and system time, in ticks.
function cpuSeconds(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return undefined
  }
}

// Only backends on this machine can be read; others count nothing.
async function backendPids(database: Database): Promise<number[]> {
  if (database.kind !== 'postgres') return []
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity
    where datname = current_database()`.execute(database.db)
  return rows.map((row) => row.pid).filter((pid) => existsSync(`/proc/${pid}/stat`))
}
