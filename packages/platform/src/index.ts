export { Platform, openPlatform } from './platform.js'
export { installTemplate } from './install-template.js'
export type { InstallResult, TemplateManifest } from './install-template.js'
export { checkDashboard, FILTER_TYPES, WIDGET_TYPES } from './dashboard.js'
export type {
  DashboardFilter,
  DashboardFilterType,
  DashboardParam,
  DashboardSpec,
  WidgetLayout,
  WidgetSpec,
  WidgetType,
} from './dashboard.js'
export { loadDemo } from './load-demo.js'
export type { DemoOptions } from './load-demo.js'
export { describeApp, viewForm, visibleApps, withoutFields } from './app-overview.js'
export type { AppOverview, FormView, LinkingField } from './app-overview.js'
export { assertImportAllowed } from './import-access.js'
export { refuse } from './refuse.js'
export { recordsToCsv } from './records-csv.js'
export {
  drillReport,
  drillWidget,
  filterOptions,
  type FilterOption,
  previewReport,
  reportFilters,
  runWidget,
  MAX_DRILL_ROWS,
} from './dashboard-runs.js'
export {
  createDashboard,
  deleteDashboard,
  deleteReport,
  saveDashboard,
  saveDashboardWithReports,
  saveReport,
} from './dashboard-saves.js'
export type { DrillResult, WidgetQuery } from './dashboard-runs.js'
export {
  type DrillForm,
  type FigureOrigin,
  drillAbout,
  drillCondition,
  drillForms,
  drillShares,
  withDrillShares,
} from './dashboard-drills.js'
export { compileReport, checkReportSpec, type CompiledReport } from '@tessera/reports'
export { importFormFile, formImportSetup, guessSpec } from './form-import.js'
export type { FormImportSetup, FormFileOptions } from './form-import.js'
export {
  listFormDesigns,
  openFormDesign,
  previewFormPublish,
  publishFormDesign,
  saveFormDesign,
} from './form-design.js'
export type { PublishOutcome } from './form-design.js'
export { readPeriodClose, setPeriodClose, type PeriodClose } from './closed-periods.js'
export { type ReportSummary, paramSuggestions, reportSummary } from './report-pages.js'
