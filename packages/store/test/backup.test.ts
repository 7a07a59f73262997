import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Catalog, migrate, openDatabase, RecordService, type OpenDatabaseOptions } from '../src/index.js'
import { backupDatabase, backupKind, restoreDatabase } from '../src/backup.js'
import { createTestPostgresUrl } from '../src/testing.js'
import { task, team } from './fixtures.js'

/** Writes an app with a few records and returns what a restore must give back. */
async function fill(options: OpenDatabaseOptions) {
  const database = await openDatabase(options)
  try {
    await migrate(database)
    const catalog = new Catalog(database)
    await catalog.saveApp({ key: 'ops', label: 'Ops' })
    await catalog.saveDraft('ops', team)
    await catalog.saveDraft('ops', task)
    await catalog.publish('ops', ['team', 'task'], SYSTEM_ACTOR)
    const records = new RecordService(database, catalog)
    const blue = await records.create(SYSTEM_ACTOR, 'ops', 'team', { name: '蓝队', region: '华东' })
    for (let n = 1; n <= 3; n++) {
      await records.create(SYSTEM_ACTOR, 'ops', 'task', { code: `T-${n}`, team: blue.id, budget: `${n}00.10`, due: '2026-12-31' })
    }
  } finally {
    await database.close()
  }
  return snapshot(options)
}

async function snapshot(options: OpenDatabaseOptions) {
  const database = await openDatabase(options)
  try {
    const tasks = await sql<{ code: string; team_id: number; budget: string; due: string }>`
      select code, team_id, budget, due from ops.task order by id`.execute(database.db)
    const audit = await sql`select count(*)::int as n from tessera.audit`.execute(database.db)
    const forms = await sql`select key, published_version from tessera.form order by key`.execute(database.db)
    return { tasks: tasks.rows, audit: audit.rows, forms: forms.rows }
  } finally {
    await database.close()
  }
}

describe('backup and restore', () => {
  it('round-trips an embedded PGlite database through one file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-backup-'))
    const source = { dataDir: join(root, 'source') }
    const before = await fill(source)
    expect(before.tasks).toHaveLength(3)

    const file = join(root, 'tessera.tar.gz')
    const running = await openDatabase(source)
    try {
      await expect(backupDatabase(source, file)).rejects.toMatchObject({ code: 'db.locked' })
    } finally {
      await running.close()
    }
    const result = await backupDatabase(source, file)
    expect(result).toMatchObject({ kind: 'pglite', file })
    expect(await backupKind(file)).toBe('pglite')

    const target = { dataDir: join(root, 'restored') }
    await restoreDatabase(target, file)
    expect(await snapshot(target)).toEqual(before)

    await expect(restoreDatabase(target, file)).rejects.toMatchObject({ code: 'conflict.unique', message: expect.stringContaining('not empty') })
    await expect(restoreDatabase({ url: 'postgres://nobody@127.0.0.1:1/x' }, file))
      .rejects.toMatchObject({ code: 'request.invalid', message: expect.stringContaining('pglite backup') })
  })

  it('writes a backup into a folder it makes, never over an earlier one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-backup-'))
    const source = { dataDir: join(root, 'source') }
    await fill(source)
    const file = join(root, 'backups', 'monday.tar.gz')
    await backupDatabase(source, file)
    const first = readFileSync(file)
    await expect(backupDatabase(source, file)).rejects.toMatchObject({
      code: 'conflict.unique', message: expect.stringContaining('a backup is never written over another'),
    })
    expect(readFileSync(file).equals(first)).toBe(true)
  })

  it('refuses a cut-off or foreign tarball, leaving the target folder as it was', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-backup-'))
    const source = { dataDir: join(root, 'source') }
    await fill(source)
    const whole = join(root, 'whole.tar.gz')
    await backupDatabase(source, whole)
    const cut = join(root, 'cut.tar.gz')
    writeFileSync(cut, readFileSync(whole).subarray(0, 4000))
    const foreign = join(root, 'foreign.tar.gz')
    writeFileSync(foreign, gzipSync(Buffer.from('not a tar of a database')))
    for (const file of [cut, foreign]) {
      // The folder restored into, and a parent of it, made by the restore: both taken back.
      const parent = join(root, `into-${file.endsWith('cut.tar.gz') ? 'cut' : 'foreign'}`)
      const target = join(parent, 'pglite')
      await expect(restoreDatabase({ dataDir: target }, file)).rejects.toMatchObject({
        code: 'request.invalid', message: expect.stringContaining('is not a whole Tessera backup'),
      })
      expect(existsSync(parent)).toBe(false)
      // The folder can take the right backup afterwards.
      if (file === cut) await restoreDatabase({ dataDir: target }, whole)
    }
  })

  it('round-trips a PostgreSQL database through pg_dump and pg_restore', async () => {
    const source = await createTestPostgresUrl()
    const target = await createTestPostgresUrl()
    try {
      const before = await fill({ url: source.url })
      const file = join(mkdtempSync(join(tmpdir(), 'tessera-backup-')), 'tessera.dump')
      expect(await backupDatabase({ url: source.url }, file)).toMatchObject({ kind: 'postgres' })
      expect(await backupKind(file)).toBe('postgres')

      await restoreDatabase({ url: target.url }, file)
      expect(await snapshot({ url: target.url })).toEqual(before)

      // The restored database keeps working: migrations find nothing to do and writes go on.
      const database = await openDatabase({ url: target.url })
      try {
        await migrate(database)
        const records = new RecordService(database, new Catalog(database))
        const created = await records.create(SYSTEM_ACTOR, 'ops', 'task', { code: 'T-4', team: before.tasks[0].team_id })
        expect(created.id).toBeGreaterThan(3)
      } finally {
        await database.close()
      }

      await expect(restoreDatabase({ url: target.url }, file)).rejects.toMatchObject({ code: 'conflict.unique' })
      await expect(restoreDatabase({ dataDir: join(tmpdir(), 'never') }, file))
        .rejects.toMatchObject({ message: expect.stringContaining('postgres backup') })
    } finally {
      await source.drop()
      await target.drop()
    }
  })

  it('refuses files that are not backups, and in-memory databases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-backup-'))
    const file = join(dir, 'notes.txt')
    writeFileSync(file, 'hello')
    await expect(backupKind(file)).rejects.toMatchObject({ code: 'request.invalid' })
    await expect(backupKind(join(dir, 'missing'))).rejects.toMatchObject({ code: 'not_found' })
    await expect(backupDatabase({}, join(dir, 'x'))).rejects.toMatchObject({ message: expect.stringContaining('in-memory') })
    mkdirSync(join(dir, 'empty'))
    await expect(backupDatabase({ dataDir: join(dir, 'empty') }, join(dir, 'x'))).rejects.toMatchObject({ code: 'not_found' })
  })
})
