import type {
  BooleanField,
  DateField,
  EmailField,
  FieldBase,
  FieldDefinition,
  LinkField,
  MoneyField,
  NumberField,
  PercentField,
  PhoneField,
  SelectField,
  TextField,
} from './form.js'

/** The JSON types a formula can produce; each is stored like the field type of that name. */
export type FormulaResult = 'text' | 'number' | 'money' | 'percent' | 'date' | 'boolean'

/**
 * A value computed from other fields of the record by a json-logic
 * expression, on the server at every write (the stored value is the
 * server's) and live in the browser with the same evaluator. Money
 * results are rounded half up to `scale`; use the `dec…` operators for
 * exact arithmetic.
 *
 * @example
 * { "key": "tax", "type": "formula", "label": "税额", "result": "money",
 *   "expression": { "dec*": [{ "var": "amount" }, { "var": "tax_rate" }] } }
 */
export interface FormulaField extends FieldBase {
  type: 'formula'
  expression: unknown
  result: FormulaResult
  /** Digits after the point for money, number and percent results. */
  scale?: number
  currency?: string
}

/**
 * A number given to each new record from a pattern, gap-free and unique:
 * `{YYYY}`, `{YY}`, `{MM}` and `{DD}` stand for the creation date in the
 * company time zone, and one run of zeros in braces for the sequence,
 * which restarts whenever the date part changes.
 *
 * @example
 * { "key": "number", "type": "autonumber", "label": "单号", "pattern": "AR-{YYYY}-{0000}" }
 * // AR-2025-0001, AR-2025-0002, …, AR-2026-0001
 */
export interface AutonumberField extends FieldBase {
  type: 'autonumber'
  pattern: string
  /**
   * A date field of the form whose day the pattern's date tokens and
   * period take (an invoice request numbered by its request date); without
   * it, or while that field is empty, the day the record is entered.
   */
  dateField?: string
}

/** The field types a line of a `lines` field may have. */
export type LineFieldDefinition =
  | TextField
  | NumberField
  | MoneyField
  | PercentField
  | DateField
  | BooleanField
  | SelectField
  | LinkField
  | FormulaField
  | PhoneField
  | EmailField

/**
 * Line items: rows with fields of their own, such as the items of an
 * invoice request. JSON carries an array of row objects keyed by line
 * field; SQL a child table `<form>__<column>` with `parent_id` (deleted
 * with the record) and `position`. A write that sends the field replaces
 * all rows. Line formulas read the row's own fields.
 *
 * @example
 * { "key": "items", "type": "lines", "label": "明细", "fields": [
 *   { "key": "item", "type": "text", "label": "品名", "required": true },
 *   { "key": "qty", "type": "number", "label": "数量", "integer": true },
 *   { "key": "price", "type": "money", "label": "单价" },
 *   { "key": "amount", "type": "formula", "label": "金额", "result": "money",
 *     "expression": { "dec*": [{ "var": "qty" }, { "var": "price" }] } } ] }
 */
export interface LinesField extends FieldBase {
  type: 'lines'
  fields: LineFieldDefinition[]
  /** At most this many rows; 1000 unless said otherwise. */
  maxRows?: number
  /** The child table's name, assigned by the store on first publish (like `column`). */
  table?: string
}

/** What a rollup computes over the rows it reads. */
export type RollupAggregate = 'sum' | 'count' | 'min' | 'max'

/**
 * An aggregate of line items of this record (`lines`), or of the records
 * of another form that link here (`form` and its link field `link`),
 * stored in a column of this form and kept current inside every write
 * that changes what it reads, so reading it costs no scan. `sum` of no
 * rows is 0; `min` and `max` of no rows are empty.
 *
 * @example
 * { "key": "total", "type": "rollup", "label": "合计", "lines": "items", "agg": "sum", "field": "amount" }
 * { "key": "allocated", "type": "rollup", "label": "已核销", "form": "allocation",
 *   "link": "invoice", "agg": "sum", "field": "amount" }
 */
export interface RollupField extends FieldBase {
  type: 'rollup'
  lines?: string
  form?: string
  link?: string
  agg: RollupAggregate
  /** The field aggregated; not for `count`. */
  field?: string
  /**
   * What the value is stored as, derived from the aggregated field when
   * the form is published (like `column`); `count` is a whole number.
   */
  result?: { type: 'number' | 'money' | 'percent' | 'date'; scale?: number }
}

/**
 * A field of the record a link points at, shown with this record: read
 * through a join whenever records are read, never stored here.
 *
 * @example
 * { "key": "customer_region", "type": "lookup", "label": "客户地区", "link": "customer", "field": "region" }
 */
export interface LookupField extends FieldBase {
  type: 'lookup'
  /** A link field of this form. */
  link: string
  /** A field of the linked form. */
  field: string
  /** That field's definition, recorded when the form is published (like `column`). */
  target?: FieldDefinition
}
