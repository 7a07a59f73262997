import type { LocalizedText } from './localized.js'

/**
 * A form definition, as an admin designs it and as templates ship it.
 *
 * The stored definition is a list of typed fields. The form engine derives
 * from it the JSON Schema that ajv validates records against, and the layout
 * the web app renders (`ui`). Keys are the stable names records use in JSON;
 * `column` is the SQL column a field got when it was first published and is
 * never changed afterwards, so renaming a field's label or key keeps its data.
 *
 * @example
 * {
 *   "key": "invoice",
 *   "label": { "zh-CN": "发票", "en": "Invoice" },
 *   "titleField": "number",
 *   "fields": [
 *     { "key": "number", "type": "text", "label": "发票号", "required": true, "unique": true },
 *     { "key": "customer", "type": "link", "form": "customer", "label": "客户", "required": true },
 *     { "key": "amount", "type": "money", "label": "金额", "required": true, "min": "0" },
 *     { "key": "due_date", "type": "date", "label": "到期日" }
 *   ]
 * }
 */
export interface FormDefinition {
  key: string
  label: LocalizedText
  description?: LocalizedText
  /** The field whose value names a record in links, pickers and titles. */
  titleField?: string
  fields: FieldDefinition[]
  /** Sets of field keys that must be unique together (a real unique index). */
  uniques?: string[][]
  ui?: FormUi
}

export type FieldType = FieldDefinition['type']

export interface FieldBase {
  key: string
  label: LocalizedText
  description?: LocalizedText
  required?: boolean
  /** A unique index on this one column. */
  unique?: boolean
  /** SQL column name, assigned by the store on first publish. */
  column?: string
}

export interface TextField extends FieldBase {
  type: 'text'
  minLength?: number
  maxLength?: number
  /** A regular expression (ECMAScript, unicode) the whole value must match. */
  pattern?: string
  multiline?: boolean
}

export interface NumberField extends FieldBase {
  type: 'number'
  /** Whole numbers only (stored as bigint). */
  integer?: boolean
  /** Digits after the point, for decimals (stored as numeric). */
  scale?: number
  min?: number
  max?: number
}

/** Exact money: a decimal string in JSON, numeric(20, scale) in SQL. */
export interface MoneyField extends FieldBase {
  type: 'money'
  /** Digits after the point; 2 unless said otherwise. */
  scale?: number
  /** Decimal strings, compared exactly. */
  min?: string
  max?: string
  currency?: string
}

/** A calendar date, "YYYY-MM-DD", with no time and no time zone. */
export interface DateField extends FieldBase {
  type: 'date'
  min?: string
  max?: string
}

export interface SelectOption {
  value: string
  label: LocalizedText
  color?: string
}

export interface SelectField extends FieldBase {
  type: 'select'
  options: SelectOption[]
}

/** A reference to one record of another form of the same app (a foreign key). */
export interface LinkField extends FieldBase {
  type: 'link'
  /** The key of the linked form. */
  form: string
}

export type FieldDefinition =
  | TextField
  | NumberField
  | MoneyField
  | DateField
  | SelectField
  | LinkField

export interface FormUi {
  /** Sections of the generated form; fields not named go into a last section. */
  sections?: FormSection[]
  list?: {
    /** Field keys shown as list columns, in order. */
    columns?: string[]
    defaultSort?: SortSpec[]
  }
}

export interface FormSection {
  title?: LocalizedText
  /** Columns on a wide screen; always one on a phone. */
  columns?: 1 | 2 | 3
  fields: string[]
}

export interface SortSpec {
  field: string
  dir: 'asc' | 'desc'
}
