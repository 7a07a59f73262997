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
  /** The form whose records are the report's rows before grouping. */
  source: string
  params?: ReportParamSpec[]
  /**
   * Named expressions over the source form, used through `{ "ref": name }`.
   * A let may use other lets in any order; cycles are rejected.
   */
  let?: Record<string, ReportExpr>
  /** Rows kept before grouping; must be a boolean expression. */
  where?: ReportExpr
  /** Group by each, in order. None: one row of totals. */
  dimensions?: ReportDimension[]
  measures?: ReportMeasure[]
  /** By dimension or measure keys; unsorted dimensions follow in order. */
  sort?: ReportSort[]
  /** At most this many result rows (1 to 100000). */
  limit?: number
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
   * the company time zone; otherwise a "YYYY-MM-DD" date, a number or a text.
   */
  default?: string | number
}

export type ReportParamType = 'date' | 'number' | 'text'

/** Numbers, strings, booleans and null; each becomes a SQL parameter. */
export type ReportLiteral = string | number | boolean | null

/**
 * An expression: json-logic-shaped, compiled to SQL (never evaluated in JS).
 *
 * - `{ "var": "customer.region.name" }` a field of the source form, or a path
 *   through link fields (each distinct path is LEFT JOINed once); the system
 *   fields id, _version, _created_at, _created_by, _updated_at, _updated_by.
 * - `{ "param": "asOf" }` a declared param; `{ "ref": "open" }` a let.
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
 * row. `value` and `where` read the rolled-up form's fields (and params).
 * A sum or count over no records is 0; min, max and avg are then null.
 *
 * @example
 * { "form": "allocation", "link": "invoice", "agg": "sum", "value": { "var": "amount" } }
 */
export interface ReportRollup {
  form: string
  link: string
  agg: RollupAggregate
  /** Required except for count (which then counts records). */
  value?: ReportExpr
  where?: ReportExpr
}

export type RollupAggregate = 'sum' | 'count' | 'min' | 'max' | 'avg'

/** A group-by column: an expression, or numeric buckets. */
export interface ReportDimension {
  key: string
  label?: LocalizedText
  /** Exactly one of `expr` and `buckets`. */
  expr?: ReportExpr
  buckets?: ReportBuckets
}

/**
 * Edges e1 < … < en cut a number into n + 1 buckets: (-∞, e1], (e1, e2], …,
 * (en, +∞). A row carries the bucket's label as the dimension's value and
 * its index as `<key>__index`. With `fill`, empty buckets appear too (sum and
 * count 0, the others null).
 *
 * @example
 * { "expr": { "ref": "days_past_due" }, "edges": [0, 30], "labels": ["未到期", "1–30", "30+"] }
 */
export interface ReportBuckets {
  expr: ReportExpr
  edges: number[]
  /** One per bucket (edges + 1); interval notation when absent. */
  labels?: LocalizedText[]
  fill?: boolean
}

export interface ReportMeasure {
  key: string
  label?: LocalizedText
  agg: MeasureAggregate
  /** Required except for count, which then counts rows. */
  expr?: ReportExpr
  /** How the UI shows it; inferred from the expression when absent. */
  type?: MeasureType
  /** Digits after the point for money and number; money defaults to its fields' scale. */
  scale?: number
}

export type MeasureAggregate = 'sum' | 'count' | 'count_distinct' | 'avg' | 'min' | 'max'

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
  /** `record` is the id column of a drill-down. */
  kind: 'dimension' | 'measure' | 'record'
  type: ReportValueType
  /** Digits after the point of money (and rounded number) values. */
  scale?: number
  /** A bucket dimension's labels in bucket order, in the requested locale. */
  buckets?: string[]
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
}
