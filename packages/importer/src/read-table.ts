import { finished, pipeline, Transform, type Readable } from 'node:stream'
import { parse } from 'csv-parse'
import ExcelJS from 'exceljs'
import { TesseraError } from '@tessera/core'
import { csvProblem, emptyFile, notWorkbook, repeatedColumn, unnamedColumn } from './file-problems.js'
import { utf8Text } from './utf8-text.js'

/** The file formats form imports read. */
export type TableFormat = 'csv' | 'xlsx'

/**
 * One cell as read: text from CSV; from Excel also numbers, booleans and
 * dates (an Excel date has no time zone: its UTC fields are the wall clock
 * as typed). Empty cells are null.
 */
export type Cell = string | number | boolean | Date | null

export interface TableRow {
  /** Line (CSV) or row number (Excel) in the file, the header being 1. */
  line: number
  cells: Record<string, Cell>
}

export interface Table {
  header: string[]
  rows: AsyncIterable<TableRow>
}

/**
 * Opens a CSV or Excel file as a header and a stream of rows, reading as
 * it goes: memory stays flat however long the file is. Excel files are
 * read from their first worksheet; the first row is the header. Header
 * names are trimmed; empty and repeated names are refused.
 */
export async function openTable(input: Readable, format: TableFormat): Promise<Table> {
  const source = format === 'csv' ? csvRows(input) : xlsxRows(input)
  const first = await source.next()
  if (first.done) throw emptyFile()

  const header = first.value.cells.map((cell) => (cell === null ? '' : String(cell).trim()))
  // Spreadsheets often carry formatted but empty columns past the last one.
  while (header.length > 0 && header[header.length - 1] === '') header.pop()
  checkHeader(header)
  return { header, rows: withHeader(header, source) }
}

interface RawRow {
  line: number
  cells: Cell[]
}

async function* withHeader(header: string[], source: AsyncGenerator<RawRow>): AsyncGenerator<TableRow> {
  for await (const { line, cells } of source) {
    if (cells.every((cell) => cell === null || cell === '')) continue
    const named: Record<string, Cell> = {}
    header.forEach((name, index) => (named[name] = cells[index] ?? null))
    yield { line, cells: named }
  }
}

function checkHeader(header: string[]): void {
  const empty = header.findIndex((name) => name === '')
  const seen = new Set<string>()
  const repeated = header.find((name) => (seen.has(name) ? true : (seen.add(name), false)))
  if (empty >= 0) throw unnamedColumn(empty, header)
  if (repeated !== undefined) throw repeatedColumn(repeated, header)
}

async function* csvRows(input: Readable): AsyncGenerator<RawRow> {
  const parser = pipeline(input, utf8Text(), parse({
    bom: true, relax_column_count: true, info: true, record_delimiter: ['\r\n', '\n', '\r'],
  }), () => {})
  let lastLine = 0
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastLine = info.lines
      yield { line: info.lines, cells: record.map((text) => (text === '' ? null : text)) }
    }
  } catch (error) {
    throw csvProblem(error, lastLine) ?? error
  }
}

async function* xlsxRows(input: Readable): AsyncGenerator<RawRow> {
  const guarded = zipGuard(input)
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(guarded.stream, {
    entries: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  })
  // Each step raced against the guard: on a cut-off or damaged workbook the
  // reader would wait for parts that never come. Once the whole file is in,
  // a step that makes no progress for a while is one of those.
  const stallMs = Number(process.env.TESSERA_XLSX_STALL_MS ?? 20_000)
  const step = async <T>(next: Promise<T>): Promise<T> => {
    let settled = false
    let timer: NodeJS.Timeout | undefined
    const stalled = new Promise<never>((_, reject) => {
      void guarded.ended.then(() => {
        if (settled) return
        timer = setTimeout(() => reject(notWorkbook('the workbook cannot be read to its end: parts of it are missing or damaged',
          undefined, '工作簿无法读完：其中部分内容缺失或损坏')), stallMs)
      })
    })
    stalled.catch(() => {})
    try {
      return await Promise.race([next, guarded.failed, stalled])
    } finally {
      settled = true
      clearTimeout(timer)
    }
  }
  try {
    const sheets = reader[Symbol.asyncIterator]()
    const sheet = await step(sheets.next())
    if (sheet.done) return
    const rows = sheet.value[Symbol.asyncIterator]()
    for (let row = await step(rows.next()); !row.done; row = await step(rows.next())) {
      const values = Array.isArray(row.value.values) ? row.value.values.slice(1) : []
      yield { line: row.value.number, cells: Array.from(values, (value) => excelCell(value)) }
    }
  } catch (error) {
    if (error instanceof TesseraError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw notWorkbook(reason, error)
  }
}

/**
 * The bytes of a workbook passed on to its reader, watched: a .xlsx is a
 * ZIP archive, which ends with its directory (the end record, "PK\x05\x06",
 * in its last 65,557 bytes). A file without one was cut off; a file that
 * fails to read never ends. Either fails `failed`; `ended` settles once
 * the whole file has been passed on.
 */
function zipGuard(input: Readable): { stream: Readable; failed: Promise<never>; ended: Promise<void> } {
  let fail: (error: Error) => void = () => {}
  const failed = new Promise<never>((_, reject) => { fail = reject })
  failed.catch(() => {})
  let end: () => void = () => {}
  const ended = new Promise<void>((resolve) => { end = resolve })
  let tail = Buffer.alloc(0)
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      tail = Buffer.concat([tail, chunk])
      if (tail.length > ZIP_TAIL) tail = tail.subarray(tail.length - ZIP_TAIL)
      done(null, chunk)
    },
    flush(done) {
      end()
      if (tail.includes(ZIP_END)) return done()
      const error = notWorkbook('the file is cut off: a workbook ends with its directory, which this file lacks', undefined, '文件不完整：工作簿末尾的目录缺失，文件可能被截断')
      // Told through `failed` only: an error event here would reach no
      // listener of the reader's and bring the process down.
      fail(error)
      done()
    },
  })
  finished(input, (error) => {
    if (error) fail(notWorkbook('the file could not be read to its end', error, '文件无法读到末尾'))
  })
  input.pipe(stream)
  return { stream, failed, ended }
}

/** The signature of a ZIP archive's end record, and how far from the end it may start. */
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06])
const ZIP_TAIL = 22 + 65_535

/** An ExcelJS cell value as a plain cell: rich text joined, formulas by their result. */
function excelCell(value: unknown): Cell {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value
  if (typeof value !== 'object') return String(value)

  const box = value as Record<string, unknown>
  if (Array.isArray(box.richText)) {
    return box.richText.map((run: { text?: string }) => run.text ?? '').join('')
  }
  if ('result' in box) return excelCell(box.result)
  if (typeof box.text === 'string') return box.text
  if ('error' in box) return null
  return null
}
