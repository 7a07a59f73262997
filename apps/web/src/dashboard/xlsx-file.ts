import { localize, type Locale } from '@tessera/core'
import { fractionToPercent } from '../format/percent-text.js'
import type { ReportColumn } from '../api/types.js'
import { zipStore } from './zip-store.js'

type Row = Record<string, unknown>

/**
 * One worksheet of report data as an Office Open XML workbook (.xlsx):
 * a header row of column labels (bold), then one row per report row.
 * Numbers (money, number, integer) are written as numeric cells from their
 * exact decimal text, so Excel sums them, and shown as the screen shows
 * them: money with separators and two decimals, counts with separators,
 * ratios, change rates and the measures a widget shows in percent as
 * percentages; dates as date cells (yyyy-mm-dd, so Excel sorts and
 * filters them as dates); texts as inline strings.
 *
 * @example
 * const bytes = xlsxWorkbook('账龄分布', columns, rows, 'zh-CN')
 * new Blob([bytes], { type: XLSX_TYPE })
 */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const NUMERIC = new Set(['money', 'number', 'integer'])
const DECIMAL = /^-?\d+(\.\d+)?$/

export function xlsxWorkbook(
  title: string,
  columns: readonly ReportColumn[],
  rows: readonly Row[],
  locale: Locale,
  options: {
    percent?: readonly string[]
    /**
     * What the figures are of, as label and value lines (截止日期 2026-06-30,
     * 区域 华东, 导出时间 …), written to a second sheet of this name, so that
     * a file passed on still says which day it was taken for.
     */
    about?: { sheet: string; lines: ReadonlyArray<readonly [string, string]> }
    /**
     * A closing row in bold: the label in the first column (合计) and each
     * totalled column's exact figure, as on the page.
     */
    totals?: { label: string; values: Readonly<Row> }
  } = {},
): Uint8Array<ArrayBuffer> {
  const header = `<row r="1">${columns.map((column, index) =>
    textCell(index, 1, localize(column.label, locale), STYLE.header)).join('')}</row>`
  const percent = new Set(options.percent ?? [])
  const styles = columns.map((column) => styleOf(column, percent.has(column.key)))
  const body = rows.map((row, rowIndex) => {
    const number = rowIndex + 2
    const cells = columns.map((column, index) => cell(index, number, row[column.key], column, styles[index]))
    return `<row r="${number}">${cells.join('')}</row>`
  })
  if (options.totals) {
    const { label, values } = options.totals
    const number = rows.length + 2
    const cells = columns.map((column, index) => index === 0
      ? textCell(index, number, label, STYLE.header)
      : cell(index, number, values[column.key], column, BOLD[styles[index]]))
    body.push(`<row r="${number}">${cells.join('')}</row>`)
  }
  const sheet = xml(`<worksheet xmlns="${MAIN}"><sheetData>${header}${body.join('')}</sheetData></worksheet>`)
  const about = options.about
  const sheets = [sheetName(title), ...(about ? [uniqueName(sheetName(about.sheet), sheetName(title))] : [])]
  const encoder = new TextEncoder()
  return zipStore([
    { name: '[Content_Types].xml', data: encoder.encode(contentTypes(sheets.length)) },
    { name: '_rels/.rels', data: encoder.encode(ROOT_RELS) },
    { name: 'xl/workbook.xml', data: encoder.encode(workbook(sheets)) },
    { name: 'xl/_rels/workbook.xml.rels', data: encoder.encode(workbookRels(sheets.length)) },
    { name: 'xl/styles.xml', data: encoder.encode(STYLES) },
    { name: 'xl/worksheets/sheet1.xml', data: encoder.encode(sheet) },
    ...(about ? [{ name: 'xl/worksheets/sheet2.xml', data: encoder.encode(aboutSheet(about.lines)) }] : []),
  ])
}

/** Label and value lines, the labels bold, all as text. */
function aboutSheet(lines: ReadonlyArray<readonly [string, string]>): string {
  const rows = lines.map(([label, value], index) =>
    `<row r="${index + 1}">${textCell(0, index + 1, label, STYLE.header)}${textCell(1, index + 1, value, STYLE.plain)}</row>`)
  return xml(`<worksheet xmlns="${MAIN}"><cols><col min="1" max="1" width="16" customWidth="1"/>` +
    `<col min="2" max="2" width="48" customWidth="1"/></cols><sheetData>${rows.join('')}</sheetData></worksheet>`)
}

/** Sheet names must differ (ignoring case): a report titled 说明 keeps its data sheet's name. */
function uniqueName(name: string, taken: string): string {
  return name.toLowerCase() === taken.toLowerCase() ? `${name.slice(0, 28)} (2)` : name
}

/** "A", "B", … "Z", "AA": the column letters of a cell reference. */
export function columnName(index: number): string {
  let name = ''
  let rest = index + 1
  while (rest > 0) {
    const digit = (rest - 1) % 26
    name = String.fromCharCode(65 + digit) + name
    rest = Math.floor((rest - 1) / 26)
  }
  return name
}

/** Indexes into the cellXfs of STYLES. */
const STYLE = { plain: 0, money: 1, count: 2, percent: 3, header: 4, points: 5, boldMoney: 6, boldCount: 7, date: 8 } as const

/** The bold twin of each style, for a totals row (a total is a sum or a count). */
const BOLD: Record<number, number> = {
  [STYLE.plain]: STYLE.header, [STYLE.header]: STYLE.header, [STYLE.money]: STYLE.boldMoney,
  [STYLE.count]: STYLE.boldCount, [STYLE.percent]: STYLE.percent, [STYLE.points]: STYLE.points,
  [STYLE.date]: STYLE.date,
}

function styleOf(column: ReportColumn, percent: boolean): number {
  if (column.points) return STYLE.points
  if (column.role === 'change_rate' || column.ratio || percent) return STYLE.percent
  if (column.type === 'money') return STYLE.money
  if (column.type === 'integer') return STYLE.count
  if (column.type === 'date') return STYLE.date
  return STYLE.plain
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
/** Day 0 of Excel's 1900 date system, as it counts (its phantom 1900-02-29 included from March 1900). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/** A calendar date's Excel serial number (2026-06-30 → 46203); undefined for no date from 1900-03-01 on. */
export function excelSerial(text: string): number | undefined {
  const match = CALENDAR_DATE.exec(text)
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const time = Date.UTC(year, month - 1, day)
  const back = new Date(time)
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined
  // Before 1900-03-01 Excel's count is off by its leap day that never was: such dates stay text.
  if (time < Date.UTC(1900, 2, 1)) return undefined
  return (time - EXCEL_EPOCH) / 86_400_000
}

function cell(index: number, row: number, value: unknown, column: ReportColumn, style: number): string {
  if (value === null || value === undefined || value === '') return ''
  const text = String(value)
  if (NUMERIC.has(column.type) && DECIMAL.test(text)) {
    const styled = style === STYLE.plain ? '' : ` s="${style}"`
    // Points are written as the number of points (2.27), under a "0.00 pp" format.
    const written = column.points ? fractionToPercent(text) : text
    return `<c r="${columnName(index)}${row}"${styled}><v>${written}</v></c>`
  }
  const serial = column.type === 'date' ? excelSerial(text) : undefined
  if (serial !== undefined) return `<c r="${columnName(index)}${row}" s="${STYLE.date}"><v>${serial}</v></c>`
  // A select field's code is written as the label readers see.
  const shown = column.choices && Object.hasOwn(column.choices, text) ? column.choices[text] : text
  return textCell(index, row, shown)
}

function textCell(index: number, row: number, text: string, style?: number): string {
  const styled = style === undefined ? '' : ` s="${style}"`
  return `<c r="${columnName(index)}${row}"${styled} t="inlineStr"><is><t xml:space="preserve">${escape(text)}</t></is></c>`
}

/** XML text, with characters XML 1.0 cannot hold dropped. */
function escape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}

/** A sheet name: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(title: string): string {
  // Nor may it start or end with an apostrophe (Excel refuses the file).
  const clean = title.replace(/[:\\/?*[\]]/g, ' ').trim().slice(0, 31).replace(/^'+|'+$/g, '').trim()
  return clean === '' ? 'Sheet1' : clean
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships'

function xml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`
}

/** The workbook part: sheet i is worksheets/sheet{i}.xml, relationship rId{i}. */
function workbook(names: readonly string[]): string {
  const sheets = names.map((name, index) =>
    `<sheet name="${escape(name)}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`).join('')
  return xml(`<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets}</sheets></workbook>`)
}

function contentTypes(sheets: number): string {
  const parts = Array.from({ length: sheets }, (_, index) =>
    `<Override PartName="/xl/worksheets/sheet${index + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
  return xml(
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    parts.join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '</Types>',
  )
}

const ROOT_RELS = xml(
  `<Relationships xmlns="${PKG_REL}">` +
  `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
  '</Relationships>',
)

function workbookRels(sheets: number): string {
  const parts = Array.from({ length: sheets }, (_, index) =>
    `<Relationship Id="rId${index + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`)
  return xml(
    `<Relationships xmlns="${PKG_REL}">` +
    parts.join('') +
    `<Relationship Id="rId${sheets + 1}" Type="${REL}/styles" Target="styles.xml"/>` +
    '</Relationships>',
  )
}

/**
 * Built-in number formats: 4 "#,##0.00" (money), 3 "#,##0" (counts), 10
 * "0.00%", our own 164 "0.00 pp" for a rate's change in percentage
 * points and 165 "yyyy-mm-dd" for dates; the second font is bold, for
 * the header row and a totals row (whose money and counts keep their
 * formats).
 */
const STYLES = xml(
  `<styleSheet xmlns="${MAIN}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="0.00&quot; pp&quot;"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="9">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="4" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>' +
  '<xf numFmtId="3" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>',
)
