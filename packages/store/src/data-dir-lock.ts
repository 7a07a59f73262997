import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { TesseraError } from '@tessera/core'

/**
 * Embedded PGlite is one process's private database: a second process
 * opening the same folder would keep its own copy in memory and the two
 * would overwrite each other's writes. A lock file beside the folder
 * (`<folder>.lock`, holding the owner's pid) makes the second opener fail
 * with a clear message instead. A lock left by a process that no longer
 * runs is taken over.
 *
 * The lock appears whole: the pid is written to a file of the process's
 * own and linked to the lock's name, which fails when the name is taken,
 * so no opener ever reads a lock half written. Taking over a stale lock
 * is itself done under a second lock (`<folder>.lock.takeover`), and the
 * stale lock is removed only if it still names the dead process, so two
 * openers finding the same stale lock cannot both end up holding it.
 */
export function lockDataDir(dir: string): () => void {
  const path = `${dir}.lock`
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWhole(path)) {
      const release = () => {
        if (readOwner(path) === process.pid) removeQuietly(path)
      }
      process.once('exit', release)
      return release
    }
    const owner = readOwner(path)
    if (owner !== undefined && isRunning(owner)) throw inUse(dir, owner)
    takeOverStale(path, owner)
  }
  throw new TesseraError('db.locked', `could not take the lock ${path}`, {
    details: { dataDir: dir },
    messages: { 'zh-CN': `无法取得数据目录的锁 ${path}`, en: `could not take the lock ${path}` },
  })
}

/** Creates `path` holding this process's pid, all at once; false when it exists. */
function createWhole(path: string): boolean {
  const mine = `${path}.${process.pid}`
  writeFileSync(mine, String(process.pid))
  try {
    linkSync(mine, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return false
  } finally {
    removeQuietly(mine)
  }
}

/** Removes the lock at `path` if it still names `stale` (a process gone, or no pid at all). */
function takeOverStale(path: string, stale: number | undefined) {
  const takeover = `${path}.takeover`
  if (!createWhole(takeover)) {
    // Someone else is taking it over; a takeover lock whose process is gone is cleared.
    const other = readOwner(takeover)
    if (other === undefined || !isRunning(other)) removeQuietly(takeover)
    return
  }
  try {
    if (readOwner(path) === stale) removeQuietly(path)
  } finally {
    removeQuietly(takeover)
  }
}

function inUse(dir: string, owner: number): TesseraError {
  const en = `the data folder ${dir} is in use by process ${owner} (a running "tessera serve" or "start"?). ` +
    'Stop it first, or work through its web app or HTTP API; two processes on one embedded database would lose each other\'s writes.'
  return new TesseraError('db.locked', en, {
    details: { dataDir: dir, pid: owner },
    messages: {
      'zh-CN': `数据目录 ${dir} 正被进程 ${owner} 使用（是否有正在运行的 "tessera serve" 或 "start"？）。请先停止它，或通过它的网页或 HTTP 接口操作；两个进程同时使用一个内嵌数据库会互相覆盖写入。`,
      en,
    },
  })
}

function removeQuietly(path: string) {
  try {
    unlinkSync(path)
  } catch {
    // already gone
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
