import type { LocalizedText } from './localized.js'
import type {
  AutonumberField,
  FormulaField,
  LinesField,
  LookupField,
  RollupField,
} from './derived-fields.js'
import type { FormAgreement, FormConstraint, FormRule } from './form-rules.js'

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
  /** Checks across fields, such as a due date not before the invoice date. */
  rules?: FormRule[]
  /** Checks across records, such as allocations not above the receipt. */
  constraints?: FormConstraint[]
  /** Values that must agree across linked records, such as a request's customer and its order's. */
  agreements?: FormAgreement[]
  /**
   * The required date field that places a record in an accounting period
   * (an invoice's date, a receipt's): once the company closes the periods
   * through some date, records whose value is on or before it can no
   * longer be created, changed or deleted.
   */
  periodField?: string
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
  /**
   * A plain index on this column (with the id), so that a list sorted or
   * ranged by it reads a page without sorting the whole table.
   */
  indexed?: boolean
  /** SQL column name, assigned by the store on first publish. */
  column?: string
  /**
   * A json-logic condition over the record's values; while it is false the
   * field is hidden, not required, and stored as null.
   * @example { "==": [{ "var": "method" }, "acceptance"] }
   */
  visibleWhen?: unknown
  /** A json-logic condition making the field required while it holds (and it is visible). */
  requiredWhen?: unknown
}

export interface TextField extends FieldBase {
  type: 'text'
  minLength?: number
  maxLength?: number
  /** A regular expression (ECMAScript, unicode) the whole value must match. */
  pattern?: string
  /** What the format looks like, for the message of a value that does not match: "两个大写字母-三位数字，如 RD-001". */
  patternHint?: LocalizedText
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
  /** ISO 4217 code shown beside amounts; CNY unless said otherwise. */
  currency?: string
}

/** The currency of money fields that name none. */
export const DEFAULT_CURRENCY = 'CNY'

/** A calendar date, "YYYY-MM-DD", with no time and no time zone. */
export interface DateField extends FieldBase {
  type: 'date'
  min?: string
  max?: string
  /** `"today"`: a record created without the date gets the company's today. */
  default?: 'today'
}

/**
 * A share, such as a tax rate. JSON carries the fraction as decimal text
 * ("0.13" is 13 %), exact like money; the UI shows and takes percentages.
 */
export interface PercentField extends FieldBase {
  type: 'percent'
  /** Digits after the point of the percentage as shown; 2 unless said otherwise. */
  scale?: number
  /** Fractions as decimal text: "0" and "1" bound 0 % … 100 %. */
  min?: string
  max?: string
}

/**
 * A moment in time: ISO 8601 text with an offset in JSON
 * ("2025-03-14T09:30:00+08:00"), timestamptz in SQL. The API answers in
 * UTC ("2025-03-14T01:30:00.000Z"); the web app shows the company time zone.
 */
export interface DateTimeField extends FieldBase {
  type: 'datetime'
}

/** Yes or no: JSON true or false, boolean in SQL. */
export interface BooleanField extends FieldBase {
  type: 'boolean'
}

/**
 * A telephone number: a mainland mobile ("13800138000"), a landline with
 * its area code ("010-12345678", optionally "-123" for an extension), or
 * an international number ("+44 20 7946 0958"). Stored in one canonical
 * spelling, so a unique index sees "138 0013 8000" and "13800138000" as one.
 */
export interface PhoneField extends FieldBase {
  type: 'phone'
}

/** An e-mail address; the domain is stored in lower case. */
export interface EmailField extends FieldBase {
  type: 'email'
}

/** A bank account number: 8 to 30 digits, typed with or without spaces, stored without. */
export interface BankAccountField extends FieldBase {
  type: 'bank_account'
}

/**
 * A place in China as one text "省/市/区", e.g. "广东省/深圳市/南山区". The
 * first part must be a province-level division (short names such as
 * "广东" are stored in full); `depth` says how many parts it may have.
 */
export interface RegionField extends FieldBase {
  type: 'region'
  /** 1: province only; 2: province/city; 3 (default): province/city/district. */
  depth?: 1 | 2 | 3
}

/**
 * A unified social credit code (统一社会信用代码, GB 32100-2015): 18
 * characters whose last one is a check character that must be right.
 */
export interface UsccField extends FieldBase {
  type: 'uscc'
}

export interface SelectOption {
  value: string
  label: LocalizedText
  color?: string
}

export interface SelectField extends FieldBase {
  type: 'select'
  options: SelectOption[]
  /** The option a new record starts with (one of `options`' values), in the form and for an API create that sends none. */
  default?: string
}

/**
 * Several options at once: a JSON array of option values, text[] in SQL.
 * Values are stored in the order of `options`; an empty list is empty (null).
 */
export interface MultiSelectField extends FieldBase {
  type: 'multiselect'
  options: SelectOption[]
}

/** A reference to one record of another form of the same app (a foreign key). */
export interface LinkField extends FieldBase {
  type: 'link'
  /** The key of the linked form. */
  form: string
  /**
   * The records this link's picker offers: a condition over the linked
   * form's fields in the list filters' json-logic (an allocation's invoice
   * picker offers open invoices: `{">": [{"var": "open_amount"}, "0"]}`).
   * Pickers only; what a write may link to is not limited by it.
   */
  pickWhere?: unknown
}

/**
 * A user of the platform (tessera.account): their id in JSON, like a
 * link; `multiple` takes a list of ids. `default: "$me"` fills in the
 * acting user when a record is created without a value.
 */
export interface MemberField extends FieldBase {
  type: 'member'
  multiple?: boolean
  default?: '$me'
}

/**
 * A department (tessera.department): its id in JSON; `multiple` takes a
 * list. `default: "$me"` fills in the acting user's department on create.
 */
export interface DepartmentField extends FieldBase {
  type: 'department'
  multiple?: boolean
  default?: '$me'
}

/** One uploaded file as a record holds it. */
export interface AttachmentRef {
  /** The id of the file in tessera.attachment. */
  id: number
  name: string
  /** Bytes. */
  size: number
  /** MIME type. */
  type: string
}

/** The size limit of an attachment field that names none: 10 MB. */
export const DEFAULT_ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024

/**
 * Uploaded files: a list of AttachmentRef in JSON (at most one unless
 * `multiple`), jsonb in SQL. Files are uploaded first (POST /api/files)
 * and then referenced by id.
 */
export interface AttachmentField extends FieldBase {
  type: 'attachment'
  /** Largest file in bytes; DEFAULT_ATTACHMENT_MAX_SIZE unless said otherwise. */
  maxSize?: number
  /** MIME types ("image/png", "image/*") or extensions (".pdf"); any file when absent. */
  accept?: string[]
  multiple?: boolean
}

export type FieldDefinition =
  | TextField
  | MemberField
  | DepartmentField
  | AttachmentField
  | NumberField
  | MoneyField
  | DateField
  | SelectField
  | LinkField
  | PercentField
  | DateTimeField
  | BooleanField
  | MultiSelectField
  | PhoneField
  | EmailField
  | BankAccountField
  | RegionField
  | UsccField
  | FormulaField
  | AutonumberField
  | LinesField
  | RollupField
  | LookupField

export interface FormUi {
  /** Sections of the generated form; fields not named go into a last section. */
  sections?: FormSection[]
  list?: {
    /** Field keys shown as list columns, in order. */
    columns?: string[]
    defaultSort?: SortSpec[]
  }
  /**
   * Link pickers pointing at this form name each record by its title and
   * show these fields beside it (an invoice's due date and open amount), at
   * most four, of types `isPickerDetailField` accepts.
   */
  picker?: {
    fields?: string[]
  }
}

/**
 * Whether a field can be shown beside a record's title in a link picker:
 * a value of the record's own row, not line items, attachments, lookups or
 * references (links, members, departments), which would each need a name
 * read from elsewhere.
 */
export function isPickerDetailField(field: FieldDefinition): boolean {
  return !['lines', 'attachment', 'lookup', 'link', 'member', 'department'].includes(field.type)
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

/**
 * Whether records can be put in order by a field: not by line items or
 * attachments, which hold several things each, nor by a lookup, whose
 * value is read from the linked record as the reader may see it.
 */
export function isSortableField(field: FieldDefinition): boolean {
  return field.type !== 'lines' && field.type !== 'attachment' && field.type !== 'lookup'
}
