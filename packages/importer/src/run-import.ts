import { createHash } from 'node:crypto'
import { createReadStream, ReadStream } from 'node:fs'
import { basename } from 'node:path'
import { pipeline, type Readable } from 'node:stream'
import { parse } from 'csv-parse'
import {
  isTesseraError,
  TesseraError,
  type Actor,
  type Locale,
} from '@tessera/core'
import type { Catalog, Database, RecordService } from '@tessera/store'
import { sql } from 'kysely'
import { checkMapping, type ImportMapping } from './mapping.js'
import { parseCell } from './parse-cell.js'
import { utf8Text } from './utf8-text.js'
import { csvProblem } from './file-problems.js'
import { spool } from './spool.js'
import { RowBatch } from './row-batch.js'
import type { FormCounts } from './upsert-rows.js'

export interface ImportError {
  /** Line in the file, the header being line 1. */
  line: number
  /** The CSV column, or "<record>.<field>" for a value built from several. */
  column: string
  value?: unknown
  message: string
}

export interface ImportResult {
  status: 'succeeded' | 'rejected'
  mapping: string
  file?: string
  sha256: string
  rows: number
  forms: Record<string, FormCounts>
  errors: ImportError[]
  /** All errors, when more than `errors` holds. */
  errorCount: number
  /** 0 for a dry run, which is not recorded. */
  runId: number
  /** The file was checked and written as for real, then rolled back: `forms` counts what it would do. */
  dryRun?: boolean
}

export interface ImportContext {
  database: Database
  catalog: Catalog
  records: RecordService
}

export interface ImportOptions {
  actor: Actor
  locale?: Locale
  /** The name recorded for the file. */
  fileName?: string
  /** Rows per write batch. */
  batchSize?: number
  /** Errors kept in the result; the count covers all. */
  maxErrors?: number
  /** Check and write everything as for real, then roll it back (see ImportResult.dryRun). */
  dryRun?: boolean
}

/**
 * Imports a CSV file through a mapping, all or nothing: rows are parsed,
 * built and validated in batches inside one transaction; if any row is bad,
 * the transaction is rolled back, every bad row is reported (line, column,
 * reason), and nothing is written. Records are upserted by their key fields,
 * so running the same import twice creates nothing the second time.
 */
export async function runImport(
  context: ImportContext,
  appKey: string,
  mappingKey: string,
  input: string | Readable,
  options: ImportOptions,
): Promise<ImportResult> {
  // An upload is taken in whole first, so that a slow or stalled client
  // never holds the import's transaction; a file on disk is read as it is.
  if (typeof input === 'string' || input instanceof ReadStream) return importFile(context, appKey, mappingKey, input, options)
  const upload = await spool(input)
  try {
    return await importFile(context, appKey, mappingKey, upload.open(), options)
  } finally {
    await upload.remove()
  }
}

async function importFile(
  context: ImportContext,
  appKey: string,
  mappingKey: string,
  input: string | Readable,
  options: ImportOptions,
): Promise<ImportResult> {
  const { database, catalog } = context
  const locale = options.locale ?? 'zh-CN'
  const spec = await catalog.getMeta(appKey, 'import', mappingKey)
  const mapping = await checkMapping(spec, catalog.resolver(appKey))
  const startedAt = new Date()
  const fileName = options.fileName ?? (typeof input === 'string' ? basename(input) : undefined)
  const hash = createHash('sha256')

  const result: ImportResult = {
    status: 'succeeded', mapping: mappingKey, file: fileName, sha256: '', rows: 0,
    forms: {}, errors: [], errorCount: 0, runId: 0,
  }
  const maxErrors = options.maxErrors ?? 1000
  const report = (error: ImportError) => {
    result.errorCount++
    if (result.errors.length < maxErrors) result.errors.push({ ...error, value: echo(error.value) })
  }

  // The line the last whole record ended on, for a quote never closed.
  let lastLine = 1
  try {
    await database.transaction(async (trx) => {
      const batch = new RowBatch(context, appKey, mapping, options.actor, locale)
      const flush = async () => {
        await batch.process(trx, result.forms, report)
        batch.clear()
      }
      // The file is opened only now, and hashed by a listener attached in
      // the same tick as the parser, so no chunk flows past either of them.
      // Line ends may be mixed (CRLF from Excel, LF from an edit); a row
      // with more or fewer cells than the header is an error, never merged.
      const stream = typeof input === 'string' ? createReadStream(input) : input
      const header = headerCheck(mapping)
      const parser = pipeline(stream, utf8Text(), parse({
        columns: header.check, bom: true, info: true, skip_empty_lines: true,
        record_delimiter: ['\r\n', '\n', '\r'],
      }), () => {})
      stream.on('data', (chunk: Buffer | string) => hash.update(chunk))
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        lastLine = info.lines
        result.rows++
        const parsed = parseRow(mapping, record, info.lines, report, locale)
        if (parsed) batch.add(info.lines, parsed)
        if (batch.size >= (options.batchSize ?? 500)) await flush()
      }
      await flush()
      if (!header.seen()) {
        const columns = Object.keys(mapping.columns)
        throw new TesseraError('import.invalid', `the file is empty: mapping "${mapping.key}" expects a header line with the columns ${columns.join(', ')}`, {
          messages: { 'zh-CN': `导入文件是空的：导入映射「${mapping.key}」需要一行表头，列为 ${columns.join('、')}` },
        })
      }
      if (result.errorCount > 0) throw new RejectImport()
      if (options.dryRun) throw new DryRun()
    })
  } catch (error) {
    if (!(error instanceof RejectImport) && !(error instanceof DryRun)) throw rethrowable(error, lastLine)
    if (error instanceof RejectImport) {
      result.status = 'rejected'
      result.forms = {}
    }
  }
  result.sha256 = hash.digest('hex')
  if (options.dryRun) result.dryRun = true
  else result.runId = await recordRun(context.database, appKey, result, options.actor, startedAt)
  return result
}

class RejectImport extends Error {}
/** Thrown at the end of a dry run that found nothing wrong: everything it wrote is rolled back. */
class DryRun extends Error {}

/**
 * The bad value as reported back: cut to 100 characters, NUL shown as \0,
 * so that a report never carries a huge cell or text Postgres cannot store.
 */
function echo(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const text = value.replace(/\u0000/g, '\\0')
  return text.length > 100 ? `${text.slice(0, 100)}…` : text
}

function headerCheck(mapping: ImportMapping) {
  let seen = false
  const check = (header: string[]) => {
    seen = true
    const names = header.map((h) => h.trim())
    const twice = names.filter((name, i) => name !== '' && names.indexOf(name) !== i)
    if (twice.length > 0) {
      const repeated = [...new Set(twice)]
      throw new TesseraError('import.invalid', `the header names column(s) ${repeated.join(', ')} more than once; each column must appear once`, {
        details: { duplicated: twice, header: names },
        messages: { 'zh-CN': `导入文件的表头无法使用：列${repeated.map((name) => `「${name}」`).join('')}出现了不止一次，每列只能出现一次` },
      })
    }
    const missing = Object.entries(mapping.columns)
      .filter(([name, spec]) => spec.required && !names.includes(name))
      .map(([name]) => name)
    if (missing.length > 0) {
      throw new TesseraError('import.invalid', `the file lacks required column(s) ${missing.join(', ')} of mapping "${mapping.key}"; its header is: ${names.join(', ')}`, {
        details: { missing, header: names },
        messages: { 'zh-CN': `导入文件缺少导入映射「${mapping.key}」必需的列：${missing.join('、')}；文件的表头是：${names.join('、')}` },
      })
    }
    return names
  }
  return { check, seen: () => seen }
}

function parseRow(
  mapping: ImportMapping,
  record: Record<string, string>,
  line: number,
  report: (error: ImportError) => void,
  locale: Locale,
): Record<string, unknown> | undefined {
  const row: Record<string, unknown> = {}
  let ok = true
  // Problems are reported in the file's column order (the stored mapping's
  // key order is not kept by jsonb).
  const names = [...new Set([...Object.keys(record), ...Object.keys(mapping.columns)])]
  for (const name of names) {
    const spec = mapping.columns[name]
    if (!spec) continue
    const cell = parseCell(record[name], spec)
    if (cell.ok) {
      row[name] = cell.value
    } else {
      ok = false
      report({ line, column: name, value: record[name], message: locale === 'en' ? `${name} ${cell.reason}` : `${name}：${cell.reasonZh}` })
    }
  }
  return ok ? row : undefined
}

function rethrowable(error: unknown, lastLine: number): unknown {
  if (isTesseraError(error)) return error
  // The header is read as the columns' names, not counted as a record.
  return csvProblem(error, lastLine, 1) ?? error
}

async function recordRun(
  database: Database,
  appKey: string,
  result: ImportResult,
  actor: Actor,
  startedAt: Date,
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into tessera.import_run
      (app_key, mapping_key, file_name, file_sha256, status, actor, started_at, row_count, summary, errors)
    values (${appKey}, ${result.mapping}, ${result.file ?? null}, ${result.sha256}, ${result.status},
      ${actor.id}, ${startedAt.toISOString()}, ${result.rows}, ${JSON.stringify(result.forms)},
      ${JSON.stringify(result.errors.slice(0, 100))})
    returning id`.execute(database.db)
  await sql`
    insert into tessera.audit (actor, action, app_key, context)
    values (${actor.id}, 'import.run', ${appKey}, ${JSON.stringify({
      run: rows[0].id, mapping: result.mapping, status: result.status, rows: result.rows,
      forms: result.forms, errors: result.errorCount,
    })})`.execute(database.db)
  return rows[0].id
}
