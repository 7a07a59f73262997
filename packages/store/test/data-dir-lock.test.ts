import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../src/index.js'
import { lockDataDir } from '../src/data-dir-lock.js'

const run = promisify(execFile)
const TSX = resolve(__dirname, '../../../node_modules/.bin/tsx')
const LOCK = resolve(__dirname, '../src/data-dir-lock.ts')

// Two processes on one embedded data folder would each keep their own copy
// and overwrite each other's writes; the second opener must be refused.
describe('the embedded data folder lock', () => {
  it('refuses a second opener while the first holds the folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tessera-lock-')), 'pglite')
    const first = await openDatabase({ dataDir: dir })
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toMatchObject({
        code: 'db.locked',
        message: expect.stringContaining(`in use by process ${process.pid}`),
      })
    } finally {
      await first.close()
    }
    expect(existsSync(`${dir}.lock`)).toBe(false)
    const again = await openDatabase({ dataDir: dir })
    await again.close()
  })

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tessera-lock-')), 'pglite')
    // Pid numbers above the kernel's pid_max (4194304 at most) never run.
    writeFileSync(`${dir}.lock`, '9999999')
    const database = await openDatabase({ dataDir: dir })
    await database.ping()
    await database.close()
  })

  it('says who holds the folder, in Chinese too', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tessera-lock-')), 'pglite')
    const release = lockDataDir(dir)
    try {
      let refusal: unknown
      try {
        lockDataDir(dir)
      } catch (error) {
        refusal = error
      }
      expect((refusal as { messageIn(locale: string): string }).messageIn('zh-CN'))
        .toBe(`数据目录 ${dir} 正被进程 ${process.pid} 使用（是否有正在运行的 "tessera serve" 或 "start"？）。请先停止它，或通过它的网页或 HTTP 接口操作；两个进程同时使用一个内嵌数据库会互相覆盖写入。`)
    } finally {
      release()
    }
  })

  it('clears a takeover left by a process that no longer runs, and an empty lock', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tessera-lock-')), 'pglite')
    writeFileSync(`${dir}.lock`, '')
    writeFileSync(`${dir}.lock.takeover`, '9999999')
    const release = lockDataDir(dir)
    release()
    expect(readdirSync(join(dir, '..'))).toEqual([])
  })

  it('leaves a stale lock to another process taking it over right now', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tessera-lock-')), 'pglite')
    writeFileSync(`${dir}.lock`, '9999999')
    // A running process (this one) is in the middle of taking the stale lock over.
    writeFileSync(`${dir}.lock.takeover`, String(process.pid))
    expect(() => lockDataDir(dir)).toThrow(expect.objectContaining({ code: 'db.locked' }))
    expect(existsSync(`${dir}.lock`)).toBe(true)
  })

  it('lets exactly one of several processes take a stale lock at once', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tessera-lock-')), 'pglite')
    writeFileSync(`${dir}.lock`, '9999999')
    const script = `import { lockDataDir } from ${JSON.stringify(LOCK)}
      try { lockDataDir(${JSON.stringify(dir)}); console.log('held'); await new Promise((r) => setTimeout(r, 3000)) }
      catch (error) { console.log(error.code) }`
    const outcomes = await Promise.all(Array.from({ length: 5 }, () =>
      run(TSX, ['--input-type=module', '-e', script]).then(({ stdout }) => stdout.trim())))
    expect(outcomes.filter((outcome) => outcome === 'held')).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome === 'db.locked')).toHaveLength(4)
  }, 60_000)
})
