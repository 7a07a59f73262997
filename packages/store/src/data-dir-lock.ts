import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { TesseraError } from '@tessera/core'

/**
 * Embedded PGlite is one process's private database: a second process
 * opening the same folder would keep its own copy in memory and the two
 * would overwrite each other's writes. A lock file beside the folder
 * (`<folder>.lock`, holding the owner's pid) makes the second opener fail
 * with a clear message instead. A lock left by a process that no longer
 * runs is taken over.
 */
export function lockDataDir(dir: string): () => void {
  const path = `${dir}.lock`
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      const release = () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path)
        } catch {
          // already gone: nothing to release
        }
      }
      process.once('exit', release)
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = readOwner(path)
      if (owner !== undefined && isRunning(owner)) {
        throw new TesseraError('db.locked', `the data folder ${dir} is in use by process ${owner} (a running "tessera serve" or "start"?). Stop it first, or work through its web app or HTTP API; two processes on one embedded database would lose each other's writes.`, {
          details: { dataDir: dir, pid: owner },
        })
      }
      try {
        unlinkSync(path)
      } catch {
        // another process took the stale lock first; try again
      }
    }
  }
  throw new TesseraError('db.locked', `could not take the lock ${path}`, { details: { dataDir: dir } })
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
