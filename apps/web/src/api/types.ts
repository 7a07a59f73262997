import type { FormAction, FormDefinition, LocalizedText, RecordData } from '@tessera/core'

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
  /** The last day of the closed accounting periods, or null while none is closed. */
  closedThrough?: string | null
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
  /** The caller administers the app (edits layouts, builds widgets). */
  admin?: boolean
}

/** GET /api/apps/:app/forms/:form */
export interface FormResponse {
  app: string
  key: string
  version: number
  /** Without the fields hidden from the signed-in user. */
  definition: FormDefinition
  /** What the signed-in user may do with the form, and which fields they may not change. */
  access?: { actions: FormAction[]; readonly: string[] }
  /** Links of other forms pointing here that the user may read: a record page lists their records. */
  linkedFrom?: Array<{ form: string; formLabel: LocalizedText; field: string; fieldLabel: LocalizedText }>
}

/** GET /api/apps/:app/forms/:form/records */
export interface RecordPage {
  items: RecordData[]
  /** Exact when `totalExact`; else an estimate or a lower bound (`totalKind`). */
  total: number
  totalExact: boolean
  totalKind: 'exact' | 'estimate' | 'atLeast'
  page: number
  pageSize: number
  /** Cursor of the next page, for `after`; null on the last page. */
  next: string | null
  /** Cursor of the previous page, for `before`; null on the first page. */
  prev: string | null
  /** A list opened on a dashboard figure: each record's share of its measures, by id. */
  drill?: {
    columns: ReportColumn[]
    values: Record<string, Record<string, unknown>>
    /** The dates the figure was taken at: the params its report took (a date, or a period "from..to"). */
    params?: Array<{ key: string; type: string; label: LocalizedText; value: string }>
    /** A dashboard's global filters that shaped the figure, values by their labels. */
    filters?: Array<{ key: string; label: LocalizedText; values: string[] }>
    /** The values clicked, as the figure showed them (bucket and select labels), said by the server. */
    caption?: string[]
    /** Each sum's and count's shares added up over every record behind the figure (all pages). */
    totals?: Record<string, string | number>
  }
}

/** GET /api/apps/:app/forms/:form/views */
export interface ListView {
  id: number
  name: string
  shared: boolean
  mine: boolean
  isDefault: boolean
  filter?: unknown
  sort?: string
  columns?: string[]
  pageSize?: number
}

/** GET /api/apps/:app/forms/:form/options → [{ "id": 7, "title": "上海某某公司" }] */
export interface LinkOption {
  id: number
  title: string
  /** The fields the linked form shows beside its titles (`ui.picker.fields`), when it names any. */
  values?: Record<string, unknown>
}

export interface DashboardParam {
  key: string
  /** "date" gets a date picker; anything else a text box. */
  type: string
  label: LocalizedText
  /** A literal value, or "today" (the company's today, from /api/settings). */
  default?: string
  /** A report's param that must be given (a ledger's customer): the page asks for it before running. */
  required?: boolean
  /** A report's text param: values of this form's field are suggested as the reader types. */
  suggest?: { form: string; field: string }
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
 * (all the properties: docs/metadata/dashboards.md)
 */
export interface DashboardWidget {
  key: string
  /** kpi | bar | stacked_bar | line | area | pie | donut | funnel | gauge | table | pivot */
  type: string
  title?: LocalizedText
  report: string
  /** kpi and gauge: the measure shown from the first row. */
  measure?: string
  /** Charts: the column that names the categories. */
  dimension?: string
  /** Charts: the columns plotted; all measures when absent. */
  measures?: string[]
  /** Cartesian charts: a second dimension whose values become the series. */
  series?: string
  /** Dimensions clicked through in order; a click on the last opens the records. */
  drill?: string[]
  /** Measures shown as percentages (0.2323 → 23.23 %). */
  percent?: boolean
  /** Which way a KPI's change is good news (default "lower"). */
  better?: 'higher' | 'lower'
  /** gauge: the top of the dial. */
  max?: number
  layout: WidgetLayout
  /** Fixed report parameters of this widget, merged over the dashboard's. */
  params?: Record<string, string>
}

/** A global filter above the widgets; its value travels as `f.<key>`. */
export interface DashboardFilter {
  key: string
  label?: LocalizedText
  /** select | text | date-range */
  type: string
  field: string
  fields?: Record<string, string | null>
  options?: { form: string; field: string } | string[]
}

/** GET /api/apps/:app/dashboards/:key */
export interface DashboardSpec {
  key: string
  /** The stored version it was read at; sent back on save, a newer one refuses it (conflict.version). */
  version?: number
  label: LocalizedText
  params?: DashboardParam[]
  filters?: DashboardFilter[]
  /** Seconds between automatic reloads. */
  refresh?: number
  widgets: DashboardWidget[]
}

export type ReportColumnType = 'money' | 'number' | 'integer' | 'text' | 'date'

export interface ReportColumn {
  key: string
  label: LocalizedText
  /** record and title: the id and title columns of a drill-down. */
  kind: 'dimension' | 'measure' | 'record' | 'title'
  type: ReportColumnType
  scale?: number
  /** A bucket dimension's labels in order. */
  buckets?: string[]
  /** A date dimension's period: day, week, month, quarter, year. */
  grain?: string
  /** A top-N dimension: the label of its "others" row. */
  others?: string
  /** A ratio measure (and its previous value): a fraction, shown as a percentage. */
  ratio?: boolean
  /** The change of a ratio: a difference of fractions, shown in percentage points. */
  points?: boolean
  /** A select field's dimension: the label of each stored code (rows hold the codes). */
  choices?: Record<string, string>
  /** A sum's or count's column: its rows add up to the figure of them all, so a table may total it. */
  additive?: boolean
  /** A comparison column: the measure it belongs to and what it holds. */
  of?: string
  role?: 'previous' | 'change' | 'change_rate'
}

/**
 * GET /api/apps/:app/reports/:key/run?asOf=2013-06-30 → money as decimal
 * strings, integers as numbers, dates as "YYYY-MM-DD".
 */
export interface ReportResult {
  columns: ReportColumn[]
  rows: Array<Record<string, unknown>>
  params: Record<string, unknown>
  /** A pivot report's rows × columns with totals. */
  pivot?: PivotResult
  /** Forms the report sums that the reader may not read: their records count as none. */
  unreadable?: Array<{ form: string; label: LocalizedText }>
  /** Fields the report reads that are hidden from the reader: they read as empty. */
  hidden?: Array<{ form: string; formLabel: LocalizedText; field: string; label: LocalizedText }>
}

/** See docs/metadata/reports.md#pivot. */
export interface PivotResult {
  rowDimensions: string[]
  columnDimensions: string[]
  headers: Array<Record<string, unknown>>
  rows: Array<{
    key: Record<string, unknown>
    cells: Array<Record<string, unknown> | null>
    total: Record<string, unknown>
  }>
  totals: { cells: Array<Record<string, unknown> | null>; total: Record<string, unknown> }
  /** With a limit: rows the totals count that are not listed. */
  omitted?: number
}

