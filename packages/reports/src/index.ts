export type {
  DateGrain,
  MeasureAggregate,
  PivotCell,
  PivotResult,
  PivotRow,
  MeasureType,
  ReportBuckets,
  ReportColumn,
  ReportDimension,
  ReportDrillTo,
  ReportExpr,
  ReportLiteral,
  ReportMeasure,
  ReportOperation,
  ReportOperator,
  ReportParamSpec,
  ReportParamType,
  ReportPivot,
  ReportTop,
  ReportResult,
  ReportRollup,
  ReportSort,
  ReportSpec,
  ReportValueType,
  RollupAggregate,
  ReportUnion,
  ReportUnionColumn,
  ReportUnionColumnType,
  ReportUnionForm,
} from './spec.js'
export { checkReportSpec } from './check-report-spec.js'
export { compileReport, type CompiledReport } from './compile-report.js'
export { compileDrill, figureMeasure, type DrillOptions } from './compile-drill.js'
export { runReport, runDrill, type ReportDatabase } from './run-report.js'
export { resolveParams } from './report-params.js'
export type { ReportOptions, RowSource } from './report-options.js'
export { tableSource } from './report-options.js'
export type { SqlText } from './sql-text.js'
export type { ReportFilter } from './runtime-filters.js'
export type { RunShape } from './plan-report.js'
export { type Period, parsePeriod, previousPeriod, periodOf, PERIOD_DEFAULTS } from './period.js'
export { fieldPathInfo } from './check-field-path.js'
export { checkParamSpecs } from './report-params.js'
export { IssueList } from './issue-list.js'
