import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { open, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import pg from 'pg'
import { TesseraError } from '@tessera/core'
import { lockDataDir } from './data-dir-lock.js'
import type { DatabaseKind, OpenDatabaseOptions } from './database.js'

/**
 * Backups are single files, in the database's own format:
 *
 * - embedded PGlite: the data folder as a gzipped tar (PGlite's
 *   `dumpDataDir`), restored by loading it into a new, empty data folder;
 * - PostgreSQL: a `pg_dump --format=custom` archive, restored with
 *   `pg_restore` into an empty database, in one transaction.
 *
 * The kind is recognised from the file's first bytes, so a backup cannot be
 * restored into the wrong kind of database by mistake. The embedded folder
 * must not be open in another process while it is backed up: its lock
 * (data-dir-lock.ts) refuses with db.locked while a server runs on it.
 */
export interface BackupResult {
  kind: DatabaseKind
  file: string
  bytes: number
}

const PG_DUMP_MAGIC = 'PGDMP'
const GZIP_MAGIC = [0x1f, 0x8b]

export async function backupDatabase(options: OpenDatabaseOptions, file: string): Promise<BackupResult> {
  const target = resolve(file)
  // An earlier backup is never written over; its folder is made if need be.
  if (existsSync(target)) {
    throw new TesseraError('conflict.unique', `${target} already exists; a backup is never written over another: choose a new name, or move that file away first`, {
      details: { file: target },
      messages: { 'zh-CN': `${target} 已存在；备份不会覆盖已有文件：请换一个文件名，或先移走该文件`, en: `${target} already exists; a backup is never written over another: choose a new name, or move that file away first` },
    })
  }
  mkdirSync(dirname(target), { recursive: true })
  if (options.url) {
    const args = ['--format=custom', '--no-owner', '--no-privileges', '--file', target]
    await runPgTool('pg_dump', args, options.url)
    return { kind: 'postgres', file: target, bytes: (await readFile(target)).length }
  }

  const dataDir = requireDataDir(options)
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    throw new TesseraError('not_found', `there is no embedded database to back up in ${resolve(dataDir)}`)
  }
  // The folder lock refuses a backup while a server has the folder open.
  const { PGlite } = await import('@electric-sql/pglite')
  const release = lockDataDir(resolve(dataDir))
  const pglite = new PGlite({ dataDir: resolve(dataDir) })
  try {
    await pglite.waitReady
    // A checkpoint puts everything committed into the data files the tar holds.
    await pglite.exec('checkpoint')
    const archive = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer())
    await writeFile(target, archive, { flag: 'wx' })
    return { kind: 'pglite', file: target, bytes: archive.length }
  } finally {
    await pglite.close()
    release()
  }
}

/** Restores a backup into an empty database (PostgreSQL) or a new data folder (PGlite). */
export async function restoreDatabase(options: OpenDatabaseOptions, file: string): Promise<BackupResult> {
  const source = resolve(file)
  const kind = await backupKind(source)
  const wanted: DatabaseKind = options.url ? 'postgres' : 'pglite'
  if (kind !== wanted) {
    const hint = kind === 'pglite'
      ? 'restore it without DATABASE_URL, into a --data-dir'
      : 'restore it with DATABASE_URL (or --database-url) naming an empty PostgreSQL database'
    throw new TesseraError('request.invalid', `${source} is a ${kind} backup and cannot be restored into ${wanted}; ${hint}`, {
      details: { file: source, kind, target: wanted },
    })
  }

  if (options.url) {
    await requireEmptyPostgres(options.url)
    const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', source]
    await runPgTool('pg_restore', args, options.url)
  } else {
    const dataDir = resolve(requireDataDir(options))
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      throw new TesseraError('conflict.unique', `${dataDir} is not empty; restore into a new folder, or move the old one away first`, {
        details: { dataDir },
      })
    }
    // The outermost folder this restore makes (the data folder, or a parent of it), to take back on failure.
    let made: string | undefined
    for (let folder = dataDir; !existsSync(folder); folder = dirname(folder)) made = folder
    mkdirSync(dataDir, { recursive: true })
    const { PGlite } = await import('@electric-sql/pglite')
    const release = lockDataDir(dataDir)
    try {
      const archive = await readFile(source)
      // The whole archive is read through first: a cut-off file fails before anything is unpacked.
      await pipeline(Readable.from([archive]), createGunzip(), new Writable({ write: (_chunk, _encoding, done) => done() }))
      const pglite = new PGlite({ dataDir, loadDataDir: new Blob([archive]) })
      await pglite.waitReady
      await pglite.close()
    } catch (cause) {
      // The folder is left as it was found (absent, or empty), so it can take the right file.
      rmSync(made ?? dataDir, { recursive: true, force: true })
      if (!made) mkdirSync(dataDir)
      throw unreadable(source, cause)
    } finally {
      release()
    }
  }
  return { kind, file: source, bytes: (await readFile(source)).length }
}

/** Which kind of database a backup file came from. */
export async function backupKind(file: string): Promise<DatabaseKind> {
  const handle = await open(file, 'r').catch((cause: unknown) => {
    throw new TesseraError('not_found', `cannot read backup ${file}: ${String(cause)}`, { cause })
  })
  try {
    const head = Buffer.alloc(5)
    await handle.read(head, 0, 5, 0)
    if (head.toString('latin1') === PG_DUMP_MAGIC) return 'postgres'
    if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return 'pglite'
  } finally {
    await handle.close()
  }
  throw new TesseraError('request.invalid', `${file} is not a Tessera backup (neither a pg_dump archive nor a PGlite tarball)`)
}

function unreadable(file: string, cause: unknown): TesseraError {
  const why = cause instanceof Error ? cause.message : String(cause)
  const en = `${file} is not a whole Tessera backup of an embedded database (${why}); nothing was restored`
  return new TesseraError('request.invalid', en, {
    cause,
    details: { file },
    messages: { 'zh-CN': `${file} 不是完整的内嵌数据库备份（${why}）；未恢复任何内容`, en },
  })
}

function requireDataDir(options: OpenDatabaseOptions): string {
  if (options.dataDir) return options.dataDir
  throw new TesseraError('request.invalid', 'an in-memory database cannot be backed up or restored; give a data folder')
}

async function requireEmptyPostgres(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect().catch((cause: unknown) => {
    const database = safeUrl(url)
    const why = cause instanceof Error ? cause.message : String(cause)
    const en = `cannot connect to ${database} to restore into it (${why}); create the empty database first (createdb), then restore`
    throw new TesseraError('request.invalid', en, {
      cause,
      details: { database },
      messages: { 'zh-CN': `无法连接 ${database} 以恢复（${why}）；请先创建空数据库（createdb），再恢复`, en },
    })
  })
  try {
    const { rows } = await client.query(
      `select count(*)::int as n from information_schema.schemata where schema_name = 'tessera'`)
    if (rows[0].n > 0) {
      throw new TesseraError('conflict.unique', 'the target database already holds Tessera data; restore into a new, empty database', {
        details: { database: new URL(url).pathname.slice(1) },
      })
    }
  } finally {
    await client.end()
  }
}

// The password travels in the environment, not on the command line where
// any user of the machine could read it in the process list.
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  const parsed = new URL(url)
  const password = decodeURIComponent(parsed.password)
  parsed.password = ''
  const target = tool === 'pg_dump' ? [parsed.toString()] : ['--dbname', parsed.toString()]
  return new Promise((done, fail) => {
    const child = spawn(tool, [...args, ...target], {
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('error', (cause) => fail(new TesseraError('internal', `${tool} could not be started (is the PostgreSQL client installed?): ${cause.message}`, { cause })))
    child.on('close', (code) => {
      if (code === 0) done()
      else fail(new TesseraError('internal', `${tool} failed with exit code ${code}: ${stderr.trim().slice(0, 2000)}`))
    })
  })
}

/** A database address without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.password = ''
    return parsed.toString()
  } catch {
    return '(an address that is not a URL)'
  }
}
