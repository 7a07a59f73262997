export { runImport } from './run-import.js'
export type { ImportContext, ImportError, ImportOptions, ImportResult } from './run-import.js'
export { checkMapping, DATE_FORMATS } from './mapping.js'
export type { ImportMapping, ColumnSpec, ColumnType, RecordSpec } from './mapping.js'
export { parseCell, parseDate } from './parse-cell.js'
export type { FormCounts } from './upsert-rows.js'
export { importForm } from './import-form.js'
export type { FormImportOptions, FormImportResult } from './import-form.js'
export {
  checkFormImportSpec,
  importableFields,
  importableLineFields,
  suggestColumns,
  type FormImportSpec,
} from './form-import-spec.js'
export { rememberFormImport, recallFormImport } from './form-import-memory.js'
export { openTable, type Cell, type Table, type TableFormat, type TableRow } from './read-table.js'
export { cellValue, cellProblemMessage, type CellOutcome, type CellProblem } from './cell-value.js'
export { recordsToXlsx, tableToXlsx, type XlsxExtras } from './export-xlsx.js'
export { importErrorsCsv } from './error-report.js'
