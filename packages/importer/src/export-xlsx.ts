import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import {
  localize,
  type FieldDefinition,
  type Locale,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'
import { storedAs } from '@tessera/forms'

/**
 * Records as an Excel workbook, written as a stream (rows are committed
 * one by one, so memory stays flat): one sheet named after the form, a
 * header of field labels, one column per field the records carry (hidden
 * fields were already removed). Money, numbers and percentages are real
 * numbers with their scale as the cell format (a percent shows as 13.00%),
 * dates real dates, links the linked record's title, choices their labels,
 * yes/no as 是/否. Line items are left out. With `totals`, a last bold
 * row gives its label in the first column and a total under each column
 * it names (decimal strings, written as numbers in the column's format).
 * With `about`, a second sheet of label–value lines says what the records
 * are (the figure they were drilled from, its params).
 *
 * @example
 * recordsToXlsx(invoice, records, 'zh-CN').pipe(response)
 */
export function recordsToXlsx(
  form: PublishedForm,
  records: RecordData[],
  locale: Locale,
  extra: XlsxExtras = {},
): Readable {
  const out = new PassThrough()
  write(form, records, locale, out, extra).catch((error: unknown) => out.destroy(error as Error))
  return out
}

/** What an Excel export may carry beside its records. */
export interface XlsxExtras {
  /** A second sheet of label–value lines. */
  about?: { sheet: string; lines: ReadonlyArray<readonly [string, string]> }
  /** A last row: its label, and totals by field key. */
  totals?: { label: string; values: Readonly<Record<string, string | number>> }
}

async function write(
  form: PublishedForm,
  records: RecordData[],
  locale: Locale,
  out: PassThrough,
  { about, totals }: XlsxExtras,
) {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const title = sheetName(localize(form.definition.label, locale))
  const sheet = book.addWorksheet(title)
  const shown = new Set(records.flatMap((record) => Object.keys(record.values)))
  const fields = form.definition.fields.filter((field) =>
    field.type !== 'lines' && (records.length === 0 || shown.has(field.key)))

  sheet.columns = fields.map((field) => ({
    header: localize(field.label, locale),
    key: field.key,
    width: 16,
    style: { numFmt: numberFormat(storedAs(field)) },
  }))
  for (const record of records) {
    const row: Record<string, unknown> = {}
    for (const field of fields) row[field.key] = excelValue(field, record, locale)
    sheet.addRow(row).commit()
  }
  if (totals && fields.length > 0) {
    const row: Record<string, unknown> = { [fields[0]!.key]: totals.label }
    for (const field of fields) {
      const total = totals.values[field.key]
      if (total !== undefined) row[field.key] = Number(total)
    }
    const added = sheet.addRow(row)
    added.font = { bold: true }
    added.commit()
  }
  sheet.commit()
  if (about) {
    // Sheet names are unique in a workbook (ignoring case).
    const name = sheetName(about.sheet)
    const aside = book.addWorksheet(name.toLowerCase() === title.toLowerCase() ? sheetName(`${about.sheet} (2)`) : name)
    aside.columns = [{ key: 'label', width: 18 }, { key: 'value', width: 60 }]
    for (const [label, value] of about.lines) aside.addRow({ label, value }).commit()
    aside.commit()
  }
  await book.commit()
}

function excelValue(declared: FieldDefinition, record: RecordData, locale: Locale): unknown {
  const value = record.values[declared.key]
  if (value === null || value === undefined) return null
  const field = storedAs(declared)
  switch (field.type) {
    case 'money':
    case 'number':
    case 'percent':
      return Number(value)
    case 'date':
      return new Date(`${String(value)}T00:00:00Z`)
    case 'boolean':
      return value ? (locale === 'en' ? 'Yes' : '是') : locale === 'en' ? 'No' : '否'
    case 'link':
    case 'member':
    case 'department':
      return record.titles?.[declared.key] ?? (Array.isArray(value) ? value.join(', ') : value)
    case 'attachment':
      return fileNames(value)
    case 'select':
    case 'multiselect': {
      const values = Array.isArray(value) ? value : [value]
      const labels = values.map((one) => {
        const option = field.options.find((candidate) => candidate.value === one)
        return option ? localize(option.label, locale) : String(one)
      })
      return labels.join(locale === 'en' ? ', ' : '、')
    }
    default:
      return String(value)
  }
}

/** An attachment value as its files' names, one per line. */
function fileNames(value: unknown): string {
  const files = Array.isArray(value) ? value : []
  return files.map((file) => String((file as { name?: unknown }).name ?? '')).join('\n')
}

/** The cell format of a field's numbers; undefined leaves Excel's default. */
function numberFormat(field: FieldDefinition): string | undefined {
  const decimals = (scale: number) => (scale > 0 ? `.${'0'.repeat(scale)}` : '')
  switch (field.type) {
    case 'money':
      return `#,##0${decimals(field.scale ?? 2)}`
    case 'percent':
      return `0${decimals(field.scale ?? 2)}%`
    case 'number':
      return field.integer ? '#,##0' : undefined
    case 'date':
      return 'yyyy-mm-dd'
    default:
      return undefined
  }
}

/**
 * Any table as an Excel workbook of one sheet, streamed: a header row,
 * then the rows as given (strings, numbers, booleans, Dates, nulls).
 *
 * @example
 * tableToXlsx('客户', ['编号', '额度'], [['X-2', 50000]]).pipe(file)
 */
export function tableToXlsx(name: string, header: string[], rows: Iterable<unknown[]>): Readable {
  const out = new PassThrough()
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out })
  const sheet = book.addWorksheet(sheetName(name))
  sheet.addRow(header).commit()
  for (const row of rows) sheet.addRow(row).commit()
  sheet.commit()
  book.commit().catch((error: unknown) => out.destroy(error as Error))
  return out
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(label: string): string {
  return label.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1'
}
