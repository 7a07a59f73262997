import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs'
import { link, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { sql } from 'kysely'
import { notFound, TesseraError, type AttachmentRef, type Locale } from '@tessera/core'
import type { Database, Executor } from '../database.js'

/** A stored file's row in tessera.attachment. */
export interface StoredFile extends AttachmentRef {
  sha256: string
  createdBy: string
  createdAt: string
}

export interface SaveInput {
  name: string
  mimeType: string
  createdBy: string
  /** Bytes; a longer stream is refused with file.too_large and nothing is kept. */
  maxSize: number
  /** Whether the source already stopped at maxSize (a multipart parser's limit). */
  truncated?: () => boolean
  /** For messages: the field the file was sent for. */
  field?: { key: string; label: string }
  locale?: Locale
  /**
   * Looks at the file's first bytes (up to HEAD_BYTES) once it has all
   * arrived; a throw refuses the file, and nothing is kept.
   */
  check?: (head: Buffer) => Promise<void>
}

/** How much of a file's start `check` sees: enough for any format's signature. */
export const HEAD_BYTES = 4100

/** The file in a files folder naming the database it belongs to. */
export const FOLDER_OWNER_FILE = '.tessera-database'

/**
 * Uploaded files: the bytes on local disk under one folder, named by their
 * id, and a row in tessera.attachment. A file is written to a temporary
 * name while it streams in (counted and hashed on the way), and gets its
 * row and its final name only once it is complete and within its limit, so
 * a refused or broken upload leaves neither. Files are never changed.
 *
 * A folder belongs to one database: file names are the database's ids, so
 * two databases sharing a folder would hand each other's files out. The
 * first upload writes the database's identity (a random id kept in
 * tessera.setting, which a backup carries along) into `.tessera-database`;
 * a store whose database has another identity refuses the folder
 * (`file.folder_conflict`). A file is never written over another: where a
 * name is taken (a copy of the same database sharing the folder), the
 * upload is refused instead.
 */
export class FileStore {
  readonly dir: string
  readonly #database: Database
  #claimed = false

  constructor(database: Database, dir: string) {
    this.#database = database
    this.dir = resolve(dir)
  }

  async save(source: Readable, input: SaveInput): Promise<AttachmentRef> {
    // Made on the first upload, so a server that never stores a file leaves no folder.
    mkdirSync(this.dir, { recursive: true })
    await this.#claim(true)
    const temp = join(this.dir, `.upload-${randomUUID()}`)
    const hash = createHash('sha256')
    let size = 0
    const head: Buffer[] = []
    let headSize = 0
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length
        if (size > input.maxSize) return done(tooLarge(input))
        hash.update(chunk)
        if (headSize < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headSize))
          headSize += Math.min(chunk.length, HEAD_BYTES - headSize)
        }
        done(null, chunk)
      },
    })

    try {
      await pipeline(source, meter, createWriteStream(temp, { flags: 'wx' }))
      if (input.truncated?.()) throw tooLarge(input)
      await input.check?.(Buffer.concat(head))
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }

    try {
      const { rows } = await sql<{ id: number }>`
        insert into tessera.attachment (name, mime_type, size, sha256, created_by)
        values (${cleanName(input.name)}, ${input.mimeType}, ${size}, ${hash.digest('hex')},
                ${input.createdBy})
        returning id`.execute(this.#database.db)
      const id = Number(rows[0].id)
      try {
        // A link, unlike a rename, never replaces a file already there.
        await link(temp, this.#path(id))
      } catch (error) {
        await sql`delete from tessera.attachment where id = ${id}`.execute(this.#database.db)
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw this.#taken(id)
        throw error
      }
      await unlink(temp)
      return { id, name: cleanName(input.name), size, type: input.mimeType }
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }

  /**
   * Makes sure the folder is this database's: takes it when it names no
   * database yet (`take`, on an upload), refuses it when it names another.
   * Once per store.
   */
  async #claim(take: boolean): Promise<void> {
    if (this.#claimed) return
    const identity = await databaseIdentity(this.#database)
    const marker = join(this.dir, FOLDER_OWNER_FILE)
    let found = await readFile(marker, 'utf8').then((text) => text.trim(), () => undefined)
    if (found === undefined) {
      // A folder that names no database yet is looked at again on the next upload.
      if (!take) return
      await writeFile(marker, `${identity}\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error
      })
      found = (await readFile(marker, 'utf8')).trim()
    }
    if (found !== identity) throw this.#otherDatabase(found, identity)
    this.#claimed = true
  }

  #otherDatabase(found: string, identity: string): TesseraError {
    const en = `the files folder ${this.dir} belongs to another database (${found}; this one is ${identity}): ` +
      'give this database a folder of its own (TESSERA_FILES_DIR, or the data folder of its own)'
    return new TesseraError('file.folder_conflict', en, {
      details: { dir: this.dir, folderDatabase: found, database: identity },
      messages: {
        'zh-CN': `上传文件夹 ${this.dir} 属于另一个数据库（${found}，本数据库为 ${identity}）：请为本数据库另设文件夹（TESSERA_FILES_DIR，或它自己的数据目录）`,
        en,
      },
    })
  }

  #taken(id: number): TesseraError {
    const en = `the files folder ${this.dir} already holds a file named ${id}, written by another copy of this database sharing the folder; nothing was stored`
    return new TesseraError('file.folder_conflict', en, {
      details: { dir: this.dir, id },
      messages: {
        'zh-CN': `上传文件夹 ${this.dir} 中已有编号为 ${id} 的文件，来自共用此文件夹的另一份数据库副本；本次未保存`,
        en,
      },
    })
  }

  #notThisFile(id: number): TesseraError {
    const en = `the file named ${id} in the files folder ${this.dir} is not this database's file ${id} (its size differs): ` +
      'another copy of the database shares the folder; give each its own'
    return new TesseraError('file.folder_conflict', en, {
      details: { dir: this.dir, id },
      messages: {
        'zh-CN': `上传文件夹 ${this.dir} 中编号为 ${id} 的文件不是本数据库的文件（大小不符）：另一份数据库副本共用了此文件夹，请各用各的文件夹`,
        en,
      },
    })
  }

  async find(id: number, db: Executor = this.#database.db): Promise<StoredFile | undefined> {
    const { rows } = await sql<{
      id: number; name: string; mime_type: string; size: number; sha256: string
      created_by: string; created_at: Date
    }>`select * from tessera.attachment where id = ${id}`.execute(db)
    const row = rows[0]
    if (!row) return undefined
    return {
      id: Number(row.id), name: row.name, type: row.mime_type, size: Number(row.size),
      sha256: row.sha256, createdBy: row.created_by, createdAt: row.created_at.toISOString(),
    }
  }

  /** The file's row and a stream of its bytes; not_found when either is missing. */
  async open(id: number): Promise<{ file: StoredFile; stream: Readable }> {
    await this.#claim(false)
    const file = await this.find(id)
    const path = this.#path(id)
    const onDisk = file && await stat(path).catch(() => undefined)
    if (!file || !onDisk) throw notFound('file', id)
    // Bytes of another length are not this file (a folder shared with another copy of the database).
    if (onDisk.size !== file.size) throw this.#notThisFile(id)
    return { file, stream: createReadStream(path) }
  }

  /** Takes back a file no record holds yet (an upload refused after it was stored). */
  async discard(id: number): Promise<void> {
    await sql`delete from tessera.attachment where id = ${id}`.execute(this.#database.db)
    await rm(this.#path(id), { force: true })
  }

  #path(id: number): string {
    return join(this.dir, String(id))
  }
}

/** A file name as shown and sent back: no folders, no control characters, at most 255 characters. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255)
  return clean === '' ? 'file' : clean
}

function tooLarge(input: SaveInput): TesseraError {
  const field = input.field
  const label = field?.label ?? 'file'
  const limit = input.maxSize
  const zh = `「${label}」的文件不能超过 ${formatBytes(limit)}，「${input.name}」超过了该大小`
  const en = `"${label}" takes files of at most ${formatBytes(limit)}; "${input.name}" is larger`
  return new TesseraError('file.too_large', en, {
    details: { field: field?.key, maxSize: limit },
    issues: [{
      field: field?.key,
      rule: 'max_size',
      message: input.locale === 'en' ? en : zh,
      expected: { maxSize: limit },
      received: input.name,
    }],
    messages: { 'zh-CN': zh, en },
  })
}

/** 10485760 → "10 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`
  return `${bytes} B`
}

/** The database's identity: a random id made once and kept in tessera.setting (a backup carries it). */
export async function databaseIdentity(database: Database): Promise<string> {
  await sql`insert into tessera.setting (key, value) values ('databaseId', ${JSON.stringify(randomUUID())}::jsonb)
    on conflict (key) do nothing`.execute(database.db)
  const { rows } = await sql<{ value: unknown }>`select value from tessera.setting where key = 'databaseId'`.execute(database.db)
  return String(rows[0].value)
}
