import type { FormDefinition, LocalizedText, RecordData } from '@tessera/core'

/**
 * The shapes the server's /api answers with, as this app reads them.
 * Metadata documents (dashboards, report columns) arrive as plain JSON, so
 * enumerations such as a widget's `type` are typed as strings and narrowed
 * where they are used: an unknown type shows an error card, never a crash.
 */

/** GET /api/settings → { "timeZone": "Asia/Shanghai", "today": "2026-12-05" } */
export interface Settings {
  timeZone: string
  today: string
}

export interface NamedItem {
  key: string
  label: LocalizedText
}

/** GET /api/apps/:app */
export interface AppDetail extends NamedItem {
  forms: NamedItem[]
  reports: NamedItem[]
  dashboards: NamedItem[]
}

/** GET /api/apps/:app/forms/:form */
export interface FormResponse {
  app: string
  key: string
  version: number
  definition: FormDefinition
}

/** GET /api/apps/:app/forms/:form/records */
export interface RecordPage {
  items: RecordData[]
  total: number
  page: number
  pageSize: number
}

/** GET /api/apps/:app/forms/:form/options → [{ "id": 7, "title": "上海某某公司" }] */
export interface LinkOption {
  id: number
  title: string
}

export interface DashboardParam {
  key: string
  /** "date" gets a date picker; anything else a text box. */
  type: string
  label: LocalizedText
  /** A literal value, or "today" (the company's today, from /api/settings). */
  default?: string
}

/** Placement in a 12-column grid, in grid cells. */
export interface WidgetLayout {
  x: number
  y: number
  w: number
  h: number
}

/**
 * One tile of a dashboard, e.g.
 * { "key": "aging", "type": "bar", "report": "aging_buckets",
 *   "dimension": "bucket", "measures": ["open"], "layout": { "x": 0, "y": 2, "w": 6, "h": 5 } }
 */
export interface DashboardWidget {
  key: string
  /** kpi | bar | line | pie | table */
  type: string
  title?: LocalizedText
  report: string
  /** kpi: the measure shown from the first row. */
  measure?: string
  /** Charts: the column that names the categories. */
  dimension?: string
  /** Charts: the columns plotted; all measures when absent. */
  measures?: string[]
  layout: WidgetLayout
  /** Fixed report parameters of this widget, merged over the dashboard's. */
  params?: Record<string, string>
}

/** GET /api/apps/:app/dashboards/:key */
export interface DashboardSpec {
  key: string
  label: LocalizedText
  params?: DashboardParam[]
  widgets: DashboardWidget[]
}

export type ReportColumnType = 'money' | 'number' | 'integer' | 'text' | 'date'

export interface ReportColumn {
  key: string
  label: LocalizedText
  kind: 'dimension' | 'measure'
  type: ReportColumnType
}

/**
 * GET /api/apps/:app/reports/:key/run?asOf=2013-06-30 → money as decimal
 * strings, integers as numbers, dates as "YYYY-MM-DD".
 */
export interface ReportResult {
  columns: ReportColumn[]
  rows: Array<Record<string, unknown>>
  params: Record<string, unknown>
}
