import { createHash } from 'node:crypto'
import { ReadStream } from 'node:fs'
import { PassThrough, finished, type Readable } from 'node:stream'
import { sql } from 'kysely'
import {
  isTesseraError,
  localize,
  TesseraError,
  type Actor,
  type FieldIssue,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { cellProblemMessage, cellValue } from './cell-value.js'
import { checkFormImportSpec, importableLineFields, mappingFor, type FormImportSpec } from './form-import-spec.js'
import { LineGroups, type GroupedRow } from './line-groups.js'
import { openTable, type TableFormat } from './read-table.js'
import { RowBatch } from './row-batch.js'
import { spool } from './spool.js'
import type { ImportContext, ImportError, ImportResult } from './run-import.js'

export interface FormImportOptions {
  actor: Actor
  locale?: Locale
  format: TableFormat
  /** The column mapping (FormImportSpec), or a function that picks it from the file's header. */
  spec: unknown | ((header: string[]) => unknown)
  fileName?: string
  /** Check every row as for real, then write nothing. */
  dryRun?: boolean
  /** Read at most this many rows (for a preview). */
  limit?: number
  /** Values shown per row in the result's `preview`; 20 unless said otherwise. */
  previewRows?: number
  batchSize?: number
  maxErrors?: number
  /** Called after each batch with the rows read so far. */
  onProgress?(rows: number): void
}

export interface FormImportResult extends ImportResult {
  dryRun: boolean
  /** The file's header. */
  header: string[]
  /** The column mapping the file was read with. */
  spec: FormImportSpec
  /** The first rows as they would be stored: values after parsing, validation and formulas. */
  /** The first rows as they would be written; `titles` names their links as the file did. */
  preview: { line: number; values: Record<string, unknown>; titles?: Record<string, string> }[]
}

/**
 * Imports a CSV or Excel file into one form through a column mapping
 * (FormImportSpec), all or nothing, streaming: cells are read by field
 * type (cellValue), then rows go through the machinery of mapped imports
 * in batches inside one transaction: the form's validation, formulas,
 * rules, autonumbers, rollups and constraints, upserts by `key`. Any bad
 * row rejects the whole file with every problem by line and column; a dry
 * run checks everything and writes nothing. Real runs are recorded in
 * tessera.import_run (mapping "form:<key>") and the audit trail. An upload
 * is taken in whole to a temporary file before the transaction opens, so
 * a slow or stalled client never holds the database.
 */
export async function importForm(
  context: ImportContext,
  form: PublishedForm,
  input: Readable,
  options: FormImportOptions,
): Promise<FormImportResult> {
  if (options.limit !== undefined && options.dryRun !== true) {
    // A real import of the first rows only would write part of the file and call it done.
    const en = 'limit reads only the first rows, for a preview: give it with dryRun=true, or import the whole file without it'
    throw new TesseraError('request.invalid', en, {
      issues: [{ field: 'limit', rule: 'dry_run_only', message: en, received: options.limit }],
      messages: { en, 'zh-CN': 'limit 只读取前几行，用于预览：请与 dryRun=true 一起使用，或去掉它导入整个文件' },
    })
  }
  // An upload is taken in whole first (a file on disk is read as it is).
  if (input instanceof ReadStream) return importRead(context, form, input, options)
  const upload = await spool(input)
  try {
    return await importRead(context, form, upload.open(), options)
  } finally {
    await upload.remove()
  }
}

async function importRead(
  context: ImportContext,
  form: PublishedForm,
  input: Readable,
  options: FormImportOptions,
): Promise<FormImportResult> {
  const locale = options.locale ?? 'zh-CN'
  const startedAt = new Date()
  const hash = createHash('sha256')
  const tap = new PassThrough()
  input.on('data', (chunk: Buffer | string) => hash.update(chunk))
  // Settles once the whole file has gone by: only then is the hash the
  // file's. A file that fails to read fails the parser too (piping alone
  // would leave it waiting for the rest, holding the transaction open).
  const wholeFile = new Promise<void>((resolve) => finished(input, (error) => {
    if (error && !tap.destroyed) tap.destroy(error)
    resolve()
  }))
  input.pipe(tap)

  const table = await openTable(tap, options.format)
  const wanted = typeof options.spec === 'function' ? options.spec(table.header) : options.spec
  let spec: FormImportSpec
  try {
    spec = checkFormImportSpec(form, wanted, table.header, locale)
  } catch (error) {
    // A preview answers with the header, so that the mapping can be fixed.
    if (!options.dryRun || !isTesseraError(error)) throw error
    input.unpipe(tap)
    input.resume()
    return unusable(form, table.header, wanted, error.issues, options)
  }
  const linked = await linkedForms(context, form, spec)
  const mapping = mappingFor(form, spec, linked)
  const headerOf = new Map(Object.entries(spec.columns).map(([column, field]) => [field, column]))
  const fields = new Map<string, Parameters<typeof cellValue>[0]>(form.definition.fields.map((field) => [field.key, field]))
  for (const line of importableLineFields(form)) fields.set(line.key, line.field)
  const groups = new LineGroups(spec)
  // The file lines of each gathered record's line items, by its first line.
  const itemLines = new Map<number, Record<string, number[]>>()
  const timeZone = (await context.records.logic.context(context.database.db, locale)).timeZone!

  const result: FormImportResult = {
    status: 'succeeded', mapping: `form:${form.key}`, file: options.fileName, sha256: '', rows: 0,
    forms: {}, errors: [], errorCount: 0, runId: 0, dryRun: options.dryRun === true,
    header: table.header, spec, preview: [],
  }
  const maxErrors = options.maxErrors ?? 1000
  const previewRows = options.previewRows ?? 20
  const report = (error: ImportError) => {
    result.errorCount++
    if (result.errors.length < maxErrors) result.errors.push(renamed(error, form, headerOf, itemLines))
  }
  const observe = (line: number, _form: string, values: Record<string, unknown>, titles: Record<string, string>) => {
    if (result.preview.length >= previewRows) return
    result.preview.push({ line, values, ...(Object.keys(titles).length > 0 ? { titles } : {}) })
  }

  try {
    await context.database.transaction(async (trx) => {
      const batch = new RowBatch(context, form.app, mapping, options.actor, locale, observe)
      // While the database stores one batch, the next is parsed and checked.
      let writing: Promise<void> = Promise.resolve()
      const flush = async () => {
        const checked = await batch.check(trx, report)
        await writing
        const read = result.rows
        writing = checked
          ? batch.write(trx, checked, result.forms, report).then(() => options.onProgress?.(read))
          : Promise.resolve(options.onProgress?.(read))
        // Awaited at the next flush; until then a failure must not go unhandled.
        writing.catch(() => {})
      }
      const add = (group: GroupedRow) => {
        itemLines.set(group.line, group.lineNumbers)
        batch.add(group.line, group.row)
      }
      for await (const { line, cells } of table.rows) {
        if (options.limit !== undefined && result.rows >= options.limit) break
        result.rows++
        const row: Record<string, unknown> = {}
        let readable = true
        for (const [column, fieldKey] of Object.entries(spec.columns)) {
          const field = fields.get(fieldKey)!
          const outcome = cellValue(field, cells[column] ?? null, { timeZone })
          if (outcome.ok) row[fieldKey] = outcome.value
          else {
            readable = false
            const message = cellProblemMessage(outcome.problem, field, column, locale)
            report({ line, column, value: cells[column], message })
          }
        }
        if (!readable) continue
        if (!groups.active) batch.add(line, row)
        else {
          const closed = groups.push(line, row, (target, first) => report({
            line, column: headerOf.get(target) ?? target, value: row[target],
            message: locale === 'en'
              ? `differs from line ${first}, where this record starts (same key)`
              : `与同一记录（键相同）开头的第 ${first} 行不一致`,
          }))
          if (closed) add(closed)
        }
        if (batch.size >= (options.batchSize ?? 500)) await flush()
      }
      const last = groups.finish()
      if (last) add(last)
      await flush()
      await writing
      if (result.errorCount > 0) throw new Rollback('rejected')
      if (result.dryRun) throw new Rollback('succeeded')
    })
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
    result.status = error.status
    if (result.status === 'rejected') result.forms = {}
  }

  // A preview that stopped early reads the rest of the file unparsed, so
  // that the hash covers the whole file.
  input.unpipe(tap)
  input.resume()
  await wholeFile
  result.sha256 = hash.digest('hex')
  if (!result.dryRun) result.runId = await recordRun(context, form, result, options.actor, startedAt)
  return result
}

/** The result of a preview whose mapping does not fit the file: its problems, on line 1. */
function unusable(
  form: PublishedForm,
  header: string[],
  wanted: unknown,
  issues: FieldIssue[],
  options: FormImportOptions,
): FormImportResult {
  const raw = (typeof wanted === 'object' && wanted !== null ? wanted : {}) as Partial<FormImportSpec>
  const errors = issues.map((issue) => ({ line: 1, column: issue.field ?? '', message: issue.message }))
  return {
    status: 'rejected', mapping: `form:${form.key}`, file: options.fileName, sha256: '', rows: 0,
    forms: {}, errors, errorCount: errors.length, runId: 0, dryRun: true, header,
    spec: { columns: raw.columns ?? {}, key: raw.key ?? [] }, preview: [],
  }
}

class Rollback extends Error {
  constructor(readonly status: 'succeeded' | 'rejected') {
    super(status)
  }
}

async function linkedForms(context: ImportContext, form: PublishedForm, spec: FormImportSpec) {
  const linked = new Map<string, PublishedForm>()
  for (const fieldKey of Object.values(spec.columns)) {
    const field = form.definition.fields.find((f) => f.key === fieldKey)
    if (field?.type === 'link' && !linked.has(field.form)) {
      linked.set(field.form, await context.catalog.getForm(form.app, field.form))
    }
  }
  return linked
}

/**
 * Errors name the file's column: "customer.amount" becomes "金额"; a line
 * item's "order.items[1].quantity" becomes "数量" on the file line of that item.
 */
function renamed(
  error: ImportError,
  form: PublishedForm,
  headerOf: Map<string, string>,
  itemLines: Map<number, Record<string, number[]>>,
): ImportError {
  const prefix = `${form.key}.`
  const field = error.column.startsWith(prefix) ? error.column.slice(prefix.length) : undefined
  const item = field?.match(/^(\w+)\[(\d+)\]\.(\w+)/)
  if (item) {
    const line = itemLines.get(error.line)?.[item[1]]?.[Number(item[2])] ?? error.line
    return { ...error, line, column: headerOf.get(`${item[1]}.${item[3]}`) ?? error.column }
  }
  // A problem found once the rows were written names the field it was read into (an agreement's date).
  const column = field !== undefined ? headerOf.get(field.split(/[.[+]/)[0]) : headerOf.get(error.column)
  const value = typeof error.value === 'string' && error.value.length > 100
    ? `${error.value.slice(0, 100)}…`
    : error.value
  return { ...error, column: column ?? error.column, value }
}

async function recordRun(
  context: ImportContext,
  form: PublishedForm,
  result: FormImportResult,
  actor: Actor,
  startedAt: Date,
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into tessera.import_run
      (app_key, mapping_key, file_name, file_sha256, status, actor, started_at, row_count, summary, errors)
    values (${form.app}, ${result.mapping}, ${result.file ?? null}, ${result.sha256}, ${result.status},
      ${actor.id}, ${startedAt.toISOString()}, ${result.rows}, ${JSON.stringify(result.forms)},
      ${JSON.stringify(result.errors)})
    returning id`.execute(context.database.db)
  await sql`
    insert into tessera.audit (actor, action, app_key, form_key, context)
    values (${actor.id}, 'import.run', ${form.app}, ${form.key}, ${JSON.stringify({
      run: rows[0].id, mapping: result.mapping, status: result.status, rows: result.rows,
      forms: result.forms, errors: result.errorCount, label: localize(form.definition.label, 'zh-CN'),
    })})`.execute(context.database.db)
  return rows[0].id
}
