import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
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

/**
 * Uploaded files: the bytes on local disk under one folder, named by their
 * id, and a row in tessera.attachment. A file is written to a temporary
 * name while it streams in (counted and hashed on the way), and gets its
 * row and its final name only once it is complete and within its limit, so
 * a refused or broken upload leaves neither. Files are never changed.
 */
export class FileStore {
  readonly dir: string
  readonly #database: Database

  constructor(database: Database, dir: string) {
    this.#database = database
    this.dir = resolve(dir)
  }

  async save(source: Readable, input: SaveInput): Promise<AttachmentRef> {
    // Made on the first upload, so a server that never stores a file leaves no folder.
    mkdirSync(this.dir, { recursive: true })
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
      await rename(temp, this.#path(id))
      return { id, name: cleanName(input.name), size, type: input.mimeType }
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
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
    const file = await this.find(id)
    const path = this.#path(id)
    if (!file || !(await stat(path).catch(() => undefined))) throw notFound('file', id)
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
