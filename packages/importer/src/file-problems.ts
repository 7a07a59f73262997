import { CsvError } from 'csv-parse'
import { TesseraError } from '@tessera/core'

/*
 * Problems with the file itself, as opposed to its rows or the mapping it
 * is read with: worded in both languages, since the reader is whoever
 * picked the file, most often a finance clerk reading Chinese.
 */

function fileProblem(en: string, zh: string, details: Record<string, unknown>, cause?: unknown): TesseraError {
  return new TesseraError('import.invalid', en, { details, cause, messages: { en, 'zh-CN': zh } })
}

export function notUtf8(offset: number): TesseraError {
  return fileProblem(
    `the file is not UTF-8 text (an invalid byte sequence near byte ${offset}); save it as "CSV UTF-8" and import it again`,
    `导入文件不是 UTF-8 编码（第 ${offset} 字节附近无法按 UTF-8 读取）：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入`,
    { byte: offset, expected: 'UTF-8' },
  )
}

export function emptyFile(): TesseraError {
  return fileProblem('the file is empty: it has no header row', '导入文件是空的：没有表头行', { expected: 'a header row' })
}

export function unnamedColumn(index: number, header: string[]): TesseraError {
  return fileProblem(
    `the file's header is unusable: column ${index + 1} of the header row has no name`,
    `导入文件的表头无法使用：表头第 ${index + 1} 列没有列名`,
    { header, column: index + 1 },
  )
}

export function repeatedColumn(name: string, header: string[]): TesseraError {
  return fileProblem(
    `the file's header is unusable: the header row names column "${name}" twice`,
    `导入文件的表头无法使用：列「${name}」出现了两次`,
    { header, column: name },
  )
}

export function notWorkbook(reason: string, cause: unknown, reasonZh = reason): TesseraError {
  return fileProblem(
    `the file is not a readable .xlsx workbook: ${reason}`,
    `导入文件不是可读取的 .xlsx 工作簿（${reasonZh}）：请用 Excel 另存为 .xlsx 或 CSV UTF-8 后再导入`,
    { expected: '.xlsx' },
    cause,
  )
}

/**
 * A CSV parser's refusal (an unclosed or stray quote…), or undefined when
 * `error` is something else. A quote never closed swallows the rest of
 * the file, so the parser only notices it at the end: the quote opened on
 * the line after the last whole record (`lastLine`, the line the caller saw
 * it end on, or counted from the parser's records and skipped lines; a
 * record spread over several lines by a quoted line break counts as one).
 */
export function csvProblem(error: unknown, lastLine?: number, headerRows = 0): TesseraError | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (!(error instanceof CsvError) && !String(code).startsWith('CSV_')) return undefined
  const kind = String(code).replace(/^CSV_/, '')
  const unclosed = kind === 'QUOTE_NOT_CLOSED'
  const line = unclosed ? unclosedAt(error as CountedLines, lastLine, headerRows) : (error as { lines?: number }).lines
  const zhKind: Record<string, string> = {
    QUOTE_NOT_CLOSED: '起的引号没有闭合（其后的内容都被当成了同一个单元格）',
    INVALID_OPENING_QUOTE: '单元格中间出现了引号（含引号的单元格须整格用双引号括起，引号本身写两次）',
    INVALID_CLOSING_QUOTE: '引号闭合后紧跟了其他字符',
    RECORD_INCONSISTENT_FIELDS_LENGTH: '的列数与表头不同',
  }
  const where = line !== undefined ? `第 ${line} 行` : ''
  const en = unclosed
    ? `the file is not valid CSV: a quote opened on line ${line} is never closed; nothing was imported`
    : `the file is not valid CSV: ${(error as Error).message}; nothing was imported`
  return new TesseraError('import.invalid', en, {
    cause: error,
    details: { line, reason: kind },
    messages: {
      en,
      'zh-CN': `导入文件不是有效的 CSV：${where}${zhKind[kind] ?? `无法解析（${(error as Error).message}）`}；未导入任何数据`,
    },
  })
}

interface CountedLines {
  records?: number
  empty_lines?: number
  comment_lines?: number
}

/**
 * The line a never-closed quote opened on, counting one line per record
 * before it; `headerRows`: a header the parser took as column names, which
 * it does not count among its records.
 */
function unclosedAt(error: CountedLines, lastLine: number | undefined, headerRows: number): number {
  const counted = headerRows + (error.records ?? 0) + (error.empty_lines ?? 0) + (error.comment_lines ?? 0)
  return Math.max(counted, lastLine ?? 0) + 1
}
