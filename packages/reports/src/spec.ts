import type { LocalizedText } from '@tessera/core'

/**
 * A report: JSON metadata naming a source form, compiled to one
 * parameterized SQL statement. Stored by the store, shipped in templates,
 * checked by `checkReportSpec` before it is saved or run.
 *
 * @example
 * {
 *   "key": "aging",
 *   "label": { "zh-CN": "应收账龄", "en": "Receivables aging" },
 *   "source": "invoice",
 *   "params": [
 *     { "key": "asOf", "type": "date", "label": { "zh-CN": "截止日期", "en": "As of" },
 *       "default": "today" }
 *   ],
 *   "let": {
 *     "allocated": { "rollup": { "form": "allocation", "link": "invoice", "agg": "sum",
 *       "value": { "var": "amount" },
 *       "where": { "<=": [{ "var": "date" }, { "param": "asOf" }] } } },
 *     "open": { "-": [{ "var": "amount" }, { "ref": "allocated" }] },
 *     "days_past_due": { "days_between": [{ "var": "due_date" }, { "param": "asOf" }] }
 *   },
 *   "where": { ">": [{ "ref": "open" }, 0] },
 *   "dimensions": [
 *     { "key": "customer", "label": "客户", "expr": { "var": "customer.name" } },
 *     { "key": "bucket", "label": "账龄", "buckets": { "expr": { "ref": "days_past_due" },
 *       "edges": [0, 30], "labels": ["未到期", "1–30", "30+"], "fill": true } }
 *   ],
 *   "measures": [
 *     { "key": "open", "label": "未收金额", "agg": "sum", "expr": { "ref": "open" },
 *       "type": "money" },
 *     { "key": "invoices", "label": "发票数", "agg": "count" }
 *   ],
 *   "sort": [{ "key": "open", "dir": "desc" }],
 *   "limit": 10
 * }
 */
export interface ReportSpec {
  /** Lower snake case, unique within the app. */
  key: string
  label: LocalizedText
  description?: LocalizedText
  /**
   * The form whose records are the report's rows before grouping. A report
   * names either `source` or `union`.
   */
  source?: string
  /** The rows of several forms as one, in common columns (instead of `source`). */
  union?: ReportUnion
  params?: ReportParamSpec[]
  /**
   * Named expressions over the source form, used through `{ "ref": name }`.
   * A let may use other lets in any order; cycles are rejected.
   */
  let?: Record<string, ReportExpr>
  /** Rows kept before grouping; must be a boolean expression. */
  where?: ReportExpr
  /**
   * A second json-logic condition over the source rows, ANDed with `where`:
   * `where` states what the report is about (open invoices as of a date),
   * `filter` narrows it (one region). The builder edits `filter` only.
   */
  filter?: ReportExpr
  /** Group by each, in order. None: one row of totals. */
  dimensions?: ReportDimension[]
  measures?: ReportMeasure[]
  /** By dimension or measure keys; unsorted dimensions follow in order. */
  sort?: ReportSort[]
  /** At most this many result rows (1 to 100000). */
  limit?: number
  /** Keep the first N values of a dimension; the rest become one "others" row. */
  top?: ReportTop
  /** Spread some dimensions across columns; the result gains a `pivot` with totals. */
  pivot?: ReportPivot
  /** Where a click on a row of the report's own page goes: another report, instead of the records. */
  drillTo?: ReportDrillTo
}

/**
 * Another report a row opens, with its params taken from the row's
 * dimension values, this report's params, or fixed texts. A reader who may
 * not run that report (or an app without it) gets the records instead.
 *
 * @example
 * { "report": "customer_ledger",
 *   "params": { "customer": { "dimension": "code" }, "period": { "param": "period" } } }
 */
export interface ReportDrillTo {
  report: string
  params: Record<string, { dimension: string } | { param: string } | string>
}

/**
 * The records of several forms read as the rows of one: each form gives
 * a value for each column (a form leaving a column out gives it empty), in
 * the reader's row scope, with its own `where`. The rest of the report
 * reads the columns by `var`, through link columns to their forms too
 * (`customer.region`). The rows have no ids: such a report cannot be
 * drilled into records, nor rank with an "others" row.
 *
 * @example
 * { "columns": [{ "key": "customer", "type": "link", "form": "customer" }, { "key": "date", "type": "date" },
 *               { "key": "debit", "type": "money" }, { "key": "credit", "type": "money" }],
 *   "from": [
 *     { "form": "invoice", "values": { "customer": { "var": "customer" }, "date": { "var": "invoice_date" },
 *                                      "debit": { "var": "amount" } } },
 *     { "form": "receipt", "values": { "customer": { "var": "customer" }, "date": { "var": "date" },
 *                                      "credit": { "var": "amount" } } } ] }
 */
export interface ReportUnion {
  columns: ReportUnionColumn[]
  from: ReportUnionForm[]
}

export type ReportUnionColumnType = 'text' | 'date' | 'money' | 'number' | 'integer' | 'link'

export interface ReportUnionColumn {
  key: string
  label?: LocalizedText
  type: ReportUnionColumnType
  /** A link column: the form it points at. */
  form?: string
  /** A money column: its decimals (default 2). */
  scale?: number
}

export interface ReportUnionForm {
  form: string
  /** An expression over the form's records for each column. */
  values: Record<string, ReportExpr>
  where?: ReportExpr
}

/**
 * The first `n` values of `dimension` (default the first) ranked by the
 * measure `by`; with `others` (a label, default 其他/Others) the remaining
 * values are summed into one row, shown last. `others: false` drops them.
 *
 * @example
 * { "n": 5, "by": "overdue", "others": { "zh-CN": "其他客户", "en": "Other customers" } }
 */
export interface ReportTop {
  dimension?: string
  n: number
  by: string
  dir?: 'asc' | 'desc'
  others?: LocalizedText | false
}

/**
 * Rows × columns: `columns` names the dimensions spread across; the other
 * dimensions go down. The result keeps its flat rows and adds `pivot`, with
 * row, column and grand totals computed by the database (grouping sets), so
 * that a count distinct or an average total is right, not a sum of cells.
 *
 * @example
 * { "columns": ["bucket"] }
 */
export interface ReportPivot {
  columns: string[]
}

/**
 * A value the user (or a dashboard) supplies when running the report.
 * In SQL it becomes a typed parameter: date → `$1::date`, number →
 * `$1::numeric`, text → `$1::text`.
 *
 * @example
 * { "key": "asOf", "type": "date", "label": "截止日期", "default": "today" }
 */
export interface ReportParamSpec {
  key: string
  type: ReportParamType
  label?: LocalizedText
  /** Without a value and without a default the run fails. False if absent. */
  required?: boolean
  /**
   * Used when the request gives no value. For dates, "today" means today in
   * the company time zone; for periods "this_month", "last_month",
   * "this_quarter", "last_quarter", "this_year" or "last_year" (whole
   * calendar periods around today), or "month_to_date", "quarter_to_date",
   * "year_to_date" (from the period's start to today); otherwise a "YYYY-MM-DD" date, a number,
   * a text or a period "YYYY-MM-DD..YYYY-MM-DD".
   */
  default?: string | number
  /**
   * A text param's suggestions as the reader types: the values of a field
   * of a form that the reader may read (row scope applies), such as the
   * customers' names. Any other text may still be given.
   */
  suggest?: { form: string; field: string }
}

/**
 * A `period` is a range of calendar dates `{ "from": "2024-06-01", "to":
 * "2024-06-30" }` (both included), also given as the text
 * "2024-06-01..2024-06-30" or a default "this_month", "last_month",
 * "this_quarter", "this_year" (the period up to today). Expressions read
 * `{ "param": "period.from" }` and `{ "param": "period.to" }`.
 */
export type ReportParamType = 'date' | 'number' | 'text' | 'period'

/** Numbers, strings, booleans and null; each becomes a SQL parameter. */
export type ReportLiteral = string | number | boolean | null

/**
 * An expression: json-logic-shaped, compiled to SQL (never evaluated in JS).
 *
 * - `{ "var": "customer.region.name" }` a field of the source form, or a path
 *   through link fields (each distinct path is LEFT JOINed once); the system
 *   fields id, _version, _created_at, _created_by, _updated_at, _updated_by.
 * - `{ "param": "asOf" }` a declared param (a period param: "period.from" or
 *   "period.to"); `{ "ref": "open" }` a let.
 * - `+ - * /` numeric (`/` by zero gives null); `== != < <= > >=`
 *   (`<` and `<=` also take three operands: a between). Comparing with a null
 *   value is never true; `{ "==": [x, null] }` tests that x is empty.
 * - `and or !`; `in` with an array literal; `if` [cond, then, …, else];
 *   `coalesce`; `days_between` [from, to] → whole days; `add_days` [date, n].
 * - `rollup` aggregates another form's records that link to the row.
 *
 * A string literal compared with a date is read as a "YYYY-MM-DD" date.
 */
export type ReportExpr =
  | ReportLiteral
  | { var: string }
  | { param: string }
  | { ref: string }
  | { rollup: ReportRollup }
  | { in: [ReportExpr, ReportLiteral[]] }
  | { '!': ReportExpr | [ReportExpr] }
  | ReportOperation

export type ReportOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or'
  | 'if'
  | 'coalesce'
  | 'days_between'
  | 'add_days'

/** `{ "<op>": [operand, …] }` for every operator taking a list of operands. */
export type ReportOperation = {
  [Op in ReportOperator]: { [K in Op]: ReportExpr[] }
}[ReportOperator]

/**
 * Aggregates the records of `form` whose link field `link` points at the
 * row — or, with `on`, at the record a link field of the row points at
 * (the other invoices of the row's customer). `value` and `where` read the
 * rolled-up form's fields (and params), and may hold rollups themselves.
 * A sum or count over no records is 0; min, max and avg are then null.
 *
 * @example
 * { "form": "allocation", "link": "invoice", "agg": "sum", "value": { "var": "amount" } }
 * { "form": "invoice", "link": "customer", "on": "customer", "agg": "avg",
 *   "value": { "var": "amount" } }
 */
export interface ReportRollup {
  form: string
  link: string
  /** A link field of the row (or a path ending in one) to match instead of the row's id. */
  on?: string
  agg: RollupAggregate
  /** Required except for count (which then counts records). */
  value?: ReportExpr
  where?: ReportExpr
}

export type RollupAggregate = 'sum' | 'count' | 'min' | 'max' | 'avg'

/**
 * A group-by column: an expression, a date cut into calendar periods, or
 * numeric buckets.
 *
 * @example
 * { "key": "month", "expr": { "var": "invoice_date" }, "grain": "month" }
 */
export interface ReportDimension {
  key: string
  label?: LocalizedText
  /** Exactly one of `expr` and `buckets`. */
  expr?: ReportExpr
  /**
   * With a date (or timestamp, read in the company time zone) `expr`: the
   * period the date falls in, labelled "2024-06-30", "2024-W26" (ISO week,
   * Monday first), "2024-06", "2024-Q2" or "2024", sorted by time.
   */
  grain?: DateGrain
  buckets?: ReportBuckets
}

export type DateGrain = 'day' | 'week' | 'month' | 'quarter' | 'year'

/**
 * Edges e1 < … < en cut a number into n + 1 buckets: (-∞, e1], (e1, e2], …,
 * (en, +∞). A row carries the bucket's label as the dimension's value and
 * its index as `<key>__index`. With `fill`, empty buckets appear too (sum and
 * count 0, the others null).
 *
 * Instead of edges, `width` cuts equal ranges [origin + k·width,
 * origin + (k+1)·width), labelled "[0, 1000)", with k as the index.
 *
 * @example
 * { "expr": { "ref": "days_past_due" }, "edges": [0, 30], "labels": ["未到期", "1–30", "30+"] }
 * { "expr": { "var": "amount" }, "width": 10000 }
 */
export interface ReportBuckets {
  expr: ReportExpr
  /** Exactly one of `edges` and `width`. */
  edges?: number[]
  width?: number
  /** Where width ranges start counting; 0 when absent. */
  origin?: number
  /** One per bucket (edges + 1); interval notation when absent. Edges only. */
  labels?: LocalizedText[]
  /** Edges only. */
  fill?: boolean
}

/**
 * A column computed per group: an aggregate over the rows' `expr`, or a
 * measure derived from other measures once grouped:
 *
 * - `ratio`: `of: [numerator, denominator]`, exact numeric division (times
 *   `factor` when given); null when either is null or the denominator is 0.
 *   Scale 4 unless given.
 * - `running`: `of: "open"`, the running total of a sum or count measure
 *   along the dimension `along` (default the first) in its natural order,
 *   or along several (`["date", "document"]`) in their order one after
 *   another, restarting for each value of the other dimensions.
 *
 * `compare: "previous"` also computes the measure for the previous period
 * of the period param (`period`, default the spec's only period param) and
 * adds the result columns `<key>__previous`, `<key>__change` (the
 * difference) and `<key>__change_rate` (change ÷ previous, scale 4).
 *
 * @example
 * { "key": "overdue_rate", "agg": "ratio", "of": ["overdue", "open"], "compare": "previous" }
 */
export interface ReportMeasure {
  key: string
  label?: LocalizedText
  agg: MeasureAggregate
  /** Required except for count, which then counts rows; none for ratio and running. */
  expr?: ReportExpr
  /** ratio: [numerator, denominator]; running: the measure accumulated. */
  of?: string | string[]
  /**
   * running: the dimension it runs along, or several in order (a date,
   * then a document number within the day); the others restart it.
   */
  along?: string | string[]
  /** ratio: the quotient times this (100 for a percentage, 90 for days of 90). */
  factor?: number
  compare?: 'previous'
  /** compare: the period param shifted back. */
  period?: string
  /** How the UI shows it; inferred from the expression when absent. */
  type?: MeasureType
  /** Digits after the point for money and number; money defaults to its fields' scale. */
  scale?: number
  /**
   * Computed but not shown: a measure other measures use (the movement a
   * running balance adds up), left out of the result's columns, so no
   * table shows it, totals it or exports it and no widget may name it. A
   * drilled list still gives each record's share of it (the records behind
   * a ledger's opening balance add up to it).
   */
  hidden?: boolean
}

export type MeasureAggregate =
  | 'sum'
  | 'count'
  | 'count_distinct'
  | 'avg'
  | 'min'
  | 'max'
  | 'ratio'
  | 'running'

export type MeasureType = 'money' | 'number' | 'integer' | 'text' | 'date'

export interface ReportSort {
  /** A dimension or measure key. A bucket dimension sorts by bucket order. */
  key: string
  dir?: 'asc' | 'desc'
}

/**
 * The JSON type of a result column: money and number are decimal strings,
 * integer a JS number, date "YYYY-MM-DD", datetime a Date.
 */
export type ReportValueType =
  | 'money'
  | 'number'
  | 'integer'
  | 'text'
  | 'date'
  | 'datetime'
  | 'boolean'

export interface ReportColumn {
  key: string
  label: LocalizedText
  /** `record` is the id column of a drill-down, `title` its record title. */
  kind: 'dimension' | 'measure' | 'record' | 'title'
  type: ReportValueType
  /** Digits after the point of money (and rounded number) values. */
  scale?: number
  /** A bucket dimension's labels in bucket order, in the requested locale. */
  buckets?: string[]
  /** A date dimension's calendar period. */
  grain?: DateGrain
  /** A dimension cut by `top`: the label of its "others" row. */
  others?: string
  /**
   * A dimension over a select field: each stored code's label, in the
   * requested locale. Rows hold the codes (a drill or match takes them);
   * readers show the labels.
   */
  choices?: Record<string, string>
  /**
   * A ratio measure without a factor (and its previous value): a fraction
   * such as 0.3034, shown as a percentage. A ratio times a factor (DSO's
   * 90 days) is a plain number.
   */
  ratio?: boolean
  /**
   * The change of such a ratio: a difference of fractions (0.0227), shown
   * in percentage points (2.27 pp, 2.27 个百分点), not as a percentage.
   */
  points?: boolean
  /**
   * A sum's or a count's column (and its previous value and change): its
   * rows add up to the figure of them all, so a table may total it. An
   * average, a ratio, a distinct count or a running total does not.
   */
  additive?: boolean
  /** A comparison column: the measure it belongs to and what it holds. */
  of?: string
  role?: 'previous' | 'change' | 'change_rate'
}

/**
 * @example
 * {
 *   "columns": [{ "key": "bucket", "label": "账龄", "kind": "dimension", "type": "text" },
 *               { "key": "open", "label": "未收金额", "kind": "measure", "type": "money",
 *                 "scale": 2 }],
 *   "rows": [{ "bucket": "未到期", "bucket__index": 0, "open": "1234.50" }],
 *   "params": { "asOf": "2026-03-31" }
 * }
 */
export interface ReportResult {
  columns: ReportColumn[]
  rows: Array<Record<string, unknown>>
  /** The values actually used, defaults applied. */
  params: Record<string, unknown>
  /** With a spec `pivot`: the rows spread across columns, with totals. */
  pivot?: PivotResult
  /** A drill-down: how many records match, also beyond its limit. */
  total?: number
  /**
   * Forms the statement reads that the reader may not read at all (set by
   * the platform, not the engine): their records count as none, so sums
   * over them read 0 and balances leave them out. Readers are told.
   */
  unreadable?: Array<{ form: string; label: LocalizedText }>
  /**
   * Fields the statement reads that are hidden from the reader (set by the
   * platform): they read as empty, so a sum of them reads 0.
   */
  hidden?: Array<{ form: string; formLabel: LocalizedText; field: string; label: LocalizedText }>
}

/**
 * A pivot table: `headers` are the column dimensions' value tuples in
 * order; each row holds one cell per header (null when the group is
 * empty), a cell being the measures by key; totals come from the database.
 *
 * @example
 * {
 *   "rowDimensions": ["region"], "columnDimensions": ["bucket"],
 *   "headers": [{ "bucket": "未到期" }, { "bucket": "1–30" }],
 *   "rows": [{ "key": { "region": "华东" }, "cells": [{ "open": "10.00" }, null],
 *              "total": { "open": "10.00" } }],
 *   "totals": { "cells": [{ "open": "10.00" }, null], "total": { "open": "10.00" } }
 * }
 */
export interface PivotResult {
  rowDimensions: string[]
  columnDimensions: string[]
  headers: Array<Record<string, unknown>>
  rows: PivotRow[]
  /** Row totals and the grand total count every row; with `limit`, how many rows are not listed. */
  totals: { cells: PivotCell[]; total: Record<string, unknown> }
  omitted?: number
}

export type PivotCell = Record<string, unknown> | null

export interface PivotRow {
  key: Record<string, unknown>
  cells: PivotCell[]
  total: Record<string, unknown>
}
