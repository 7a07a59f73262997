import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../src/index.js'

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
})
