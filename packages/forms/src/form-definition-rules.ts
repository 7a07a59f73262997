import { Dec, isDecimalString, isIsoDate, isPickerDetailField, KEY_PATTERN, type FieldDefinition, type FieldIssue } from '@tessera/core'
import { checkAgreements, checkConstraints, checkDerivedFields } from './form-definition-derived.js'
import { checkDefinitionLogic } from './form-definition-logic.js'

export interface DefinitionContext {
  /** Keys of the forms of the same app; link fields must name one of them. */
  forms?: string[]
}

type Report = (field: string, rule: string, message: string) => void
type Json = Record<string, unknown>

const RESERVED_KEYS = new Set(['id'])
// The child table of line items has these columns besides the fields'.
const RESERVED_LINE_KEYS = new Set(['id', 'parent_id', 'position'])
const TITLE_TYPES = new Set(['text', 'number', 'autonumber'])
const COLUMN_PATTERN = /^[a-z][a-z0-9_]{0,62}$/

/**
 * The checks of a form definition that JSON Schema cannot express. They
 * run on data that may also have failed the shape check, so every access
 * is guarded; each problem is reported once, at the deepest path.
 */
export function checkDefinitionRules(
  def: Json,
  context: DefinitionContext,
  issues: FieldIssue[],
): void {
  const report: Report = (field, rule, message) => issues.push({ field, rule, message })
  const fields = Array.isArray(def.fields) ? def.fields : []

  if (typeof def.key === 'string') checkKey(def.key, 'key', 'form key', report)

  const keys = checkFieldKeys(fields, report)
  checkColumns(fields, report)
  fields.forEach((field, index) => {
    if (isRecord(field)) checkField(field, `fields[${index}]`, context, report)
  })

  checkTitleField(def.titleField, fields.filter(isRecord), report)
  checkPeriodField(def.periodField, fields.filter(isRecord), report)
  checkUniques(def.uniques, keys, report)
  checkUi(def.ui, keys, fields, report)
  checkDefinitionLogic(def, keys, report)
  checkDerivedFields(def, context, report)
  checkConstraints(def, report)
  checkAgreements(def, report)
}

function checkKey(key: string, path: string, what: string, report: Report): boolean {
  if (KEY_PATTERN.test(key)) return true

  report(
    path,
    'key',
    `${what} ${JSON.stringify(key)} must be lower snake case matching ${KEY_PATTERN} ` +
      '(a letter first, then letters, digits or underscores, at most 40)',
  )
  return false
}

/**
 * Reports bad and duplicate field keys; returns the keys seen. `prefix`
 * places a lines field's own fields ("fields[3].").
 */
function checkFieldKeys(
  fields: unknown[],
  report: Report,
  prefix = '',
  reserved: ReadonlySet<string> = RESERVED_KEYS,
): Set<string> {
  const seen = new Map<string, number>()

  fields.forEach((field, index) => {
    if (!isRecord(field) || typeof field.key !== 'string') return
    const { key } = field
    const path = `${prefix}fields[${index}].key`

    if (reserved.has(key) || key.startsWith('_')) {
      report(path, 'reserved', `field key ${JSON.stringify(key)} is reserved for system columns`)
    } else {
      checkKey(key, path, 'field key', report)
    }

    const first = seen.get(key)
    if (first === undefined) {
      seen.set(key, index)
      return
    }
    const problem = `field key ${JSON.stringify(key)} is already used by ${prefix}fields[${first}]`
    report(path, 'duplicate', problem)
  })
  return new Set(seen.keys())
}

/** Two fields must not share a SQL column: a link "customer" and a text "customer_id". */
function checkColumns(fields: unknown[], report: Report, prefix = ''): void {
  const seen = new Map<string, { index: number; key: string }>()

  fields.forEach((field, index) => {
    // Lookups (read through a join) and line items (a child table) have no column.
    if (!isRecord(field) || typeof field.key !== 'string') return
    if (field.type === 'lookup' || field.type === 'lines') return
    const column = columnOf(field, field.key)
    const path = `${prefix}fields[${index}]`

    if (typeof field.column === 'string' && !COLUMN_PATTERN.test(field.column)) {
      const problem = `column ${JSON.stringify(column)} is not a valid SQL column name`
      report(`${path}.column`, 'column', problem)
    }

    const first = seen.get(column)
    if (!first) {
      seen.set(column, { index, key: field.key })
    } else if (first.key !== field.key) {
      // Equal keys are already reported as duplicates.
      const problem = `column ${JSON.stringify(column)} is already used by ${prefix}fields[${first.index}]`
      report(`${path}.key`, 'column', problem)
    }
  })
}

/** A lines field's own fields: keys, columns and each field's options. */
function checkLines(field: Json, path: string, context: DefinitionContext, report: Report): void {
  const fields = Array.isArray(field.fields) ? field.fields : []
  const prefix = `${path}.`
  checkFieldKeys(fields, report, prefix, RESERVED_LINE_KEYS)
  checkColumns(fields, report, prefix)
  fields.forEach((line, index) => {
    if (isRecord(line)) checkField(line, `${prefix}fields[${index}]`, context, report)
  })
}

function columnOf(field: Json, key: string): string {
  if (typeof field.column === 'string') return field.column
  return field.type === 'link' ? `${key}_id` : key
}

function checkField(field: Json, path: string, context: DefinitionContext, report: Report): void {
  switch (field.type) {
    case 'text':
      checkOrder(field, path, ['minLength', 'maxLength'], report)
      if (typeof field.pattern === 'string') checkPattern(field.pattern, `${path}.pattern`, report)
      return

    case 'number':
      checkOrder(field, path, ['min', 'max'], report)
      if (field.integer === true && typeof field.scale === 'number' && field.scale > 0) {
        report(`${path}.scale`, 'conflict', 'an integer field cannot have digits after the point')
      }
      return

    case 'money':
    case 'percent':
      checkDecimalBounds(field, path, report)
      return

    case 'date':
      checkDateBounds(field, path, report)
      return

    case 'select':
    case 'multiselect':
      checkOptions(field.options, `${path}.options`, report)
      if (field.type === 'select') checkSelectDefault(field.options, field.default, `${path}.default`, report)
      return

    case 'link':
      checkLink(field.form, `${path}.form`, context, report)
      return

    case 'lines':
      checkLines(field, path, context, report)
      return
  }
}

function checkOrder(field: Json, path: string, names: [string, string], report: Report): void {
  const [minName, maxName] = names
  const [min, max] = [field[minName], field[maxName]]
  if (typeof min !== 'number' || typeof max !== 'number' || min <= max) return

  report(`${path}.${minName}`, 'range', `${minName} ${min} is greater than ${maxName} ${max}`)
}

function checkPattern(pattern: string, path: string, report: Report): void {
  try {
    // ajv compiles patterns with the unicode flag, so the check must too.
    new RegExp(pattern, 'u')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    report(path, 'pattern', `pattern does not compile as a regular expression: ${reason}`)
  }
}

function checkDecimalBounds(field: Json, path: string, report: Report): void {
  const bounds: Partial<Record<'min' | 'max', string>> = {}
  for (const bound of ['min', 'max'] as const) {
    const value = field[bound]
    if (value === undefined) continue

    if (isDecimalString(value)) bounds[bound] = value
    else {
      const found = JSON.stringify(value)
      const problem = `${bound} must be decimal text such as "0" or "12.50", got ${found}`
      report(`${path}.${bound}`, 'format', problem)
    }
  }

  const { min, max } = bounds
  if (min !== undefined && max !== undefined && new Dec(min).greaterThan(max)) {
    report(`${path}.min`, 'range', `min ${min} is greater than max ${max}`)
  }
}

function checkDateBounds(field: Json, path: string, report: Report): void {
  for (const bound of ['min', 'max'] as const) {
    const value = field[bound]
    if (value === undefined || isIsoDate(value)) continue

    const problem = `${bound} must be a date written as YYYY-MM-DD, got ${JSON.stringify(value)}`
    report(`${path}.${bound}`, 'format', problem)
  }

  const { min, max } = field
  if (isIsoDate(min) && isIsoDate(max) && min > max) {
    report(`${path}.min`, 'range', `min ${min} is after max ${max}`)
  }
}

function checkOptions(options: unknown, path: string, report: Report): void {
  if (!Array.isArray(options)) return
  const seen = new Map<string, number>()

  options.forEach((option, index) => {
    if (!isRecord(option) || typeof option.value !== 'string') return

    const first = seen.get(option.value)
    if (first === undefined) {
      seen.set(option.value, index)
      return
    }
    const value = JSON.stringify(option.value)
    const problem = `option value ${value} is already used by option ${first}`
    report(`${path}[${index}].value`, 'duplicate', problem)
  })
}

/** A select's default is one of its options. */
function checkSelectDefault(options: unknown, value: unknown, path: string, report: Report): void {
  if (value === undefined || !Array.isArray(options)) return
  const values = options.flatMap((option) => (isRecord(option) && typeof option.value === 'string' ? [option.value] : []))
  if (typeof value === 'string' && values.includes(value)) return
  report(path, 'reference', `default ${JSON.stringify(value)} is none of the options (${values.join(', ')})`)
}

function checkLink(form: unknown, path: string, context: DefinitionContext, report: Report): void {
  if (typeof form !== 'string' || !checkKey(form, path, 'linked form key', report)) return
  if (!context.forms || context.forms.includes(form)) return

  const known = context.forms.join(', ') || 'none'
  const problem = `linked form ${JSON.stringify(form)} does not exist; known forms: ${known}`
  report(path, 'reference', problem)
}

function checkTitleField(titleField: unknown, fields: Json[], report: Report): void {
  if (typeof titleField !== 'string') return

  const field = fields.find((candidate) => candidate.key === titleField)
  const name = JSON.stringify(titleField)
  if (!field) {
    report('titleField', 'reference', `titleField ${name} is not a field of this form`)
  } else if (!TITLE_TYPES.has(String(field.type))) {
    const problem = `titleField ${name} must be a text, number or autonumber field, not ${String(field.type)}`
    report('titleField', 'reference', problem)
  }
}

/** The field a closed period is read by: a date every record has, so none escapes the close. */
function checkPeriodField(periodField: unknown, fields: Json[], report: Report): void {
  if (typeof periodField !== 'string') return

  const field = fields.find((candidate) => candidate.key === periodField)
  const name = JSON.stringify(periodField)
  if (!field) {
    report('periodField', 'reference', `periodField ${name} is not a field of this form`)
  } else if (field.type !== 'date') {
    report('periodField', 'period_date', `periodField ${name} must be a date field, not ${String(field.type)}`)
  } else if (field.required !== true || field.visibleWhen !== undefined) {
    // An empty date would place a record in no period, out of reach of every close.
    report('periodField', 'period_required', `periodField ${name} must be a required date field that is always shown`)
  }
}

function checkUniques(uniques: unknown, keys: Set<string>, report: Report): void {
  if (!Array.isArray(uniques)) return

  uniques.forEach((set, index) => {
    if (!Array.isArray(set)) return
    set.forEach((ref, position) => {
      checkFieldRef(ref, `uniques[${index}][${position}]`, keys, report)
    })
    if (new Set(set).size !== set.length) {
      report(`uniques[${index}]`, 'duplicate', 'a unique set names the same field twice')
    }
  })
}

function checkUi(ui: unknown, keys: Set<string>, fields: unknown[], report: Report): void {
  if (!isRecord(ui)) return

  const sections = Array.isArray(ui.sections) ? ui.sections : []
  sections.forEach((section, index) => {
    if (!isRecord(section) || !Array.isArray(section.fields)) return
    section.fields.forEach((ref, position) => {
      checkFieldRef(ref, `ui.sections[${index}].fields[${position}]`, keys, report)
    })
  })

  const list = isRecord(ui.list) ? ui.list : {}
  const columns = Array.isArray(list.columns) ? list.columns : []
  columns.forEach((ref, index) => checkFieldRef(ref, `ui.list.columns[${index}]`, keys, report))

  const picker = isRecord(ui.picker) ? ui.picker : {}
  const shown = Array.isArray(picker.fields) ? picker.fields : []
  shown.forEach((ref, index) => {
    checkFieldRef(ref, `ui.picker.fields[${index}]`, keys, report)
    const field = fields.filter(isRecord).find((candidate) => candidate.key === ref)
    if (field && !isPickerDetailField(field as unknown as FieldDefinition)) {
      report(`ui.picker.fields[${index}]`, 'type',
        `a picker cannot show the ${String(field.type)} field ${JSON.stringify(ref)} beside the title`)
    }
  })

  const sorts = Array.isArray(list.defaultSort) ? list.defaultSort : []
  sorts.forEach((sort, index) => {
    if (!isRecord(sort)) return
    checkFieldRef(sort.field, `ui.list.defaultSort[${index}].field`, keys, report)
    const field = fields.filter(isRecord).find((candidate) => candidate.key === sort.field)
    if (field && ['lines', 'lookup', 'attachment'].includes(String(field.type))) {
      report(`ui.list.defaultSort[${index}].field`, 'type', `a list cannot be sorted by the ${String(field.type)} field ${JSON.stringify(sort.field)}`)
    }
  })
}

function checkFieldRef(ref: unknown, path: string, keys: Set<string>, report: Report): void {
  if (typeof ref !== 'string' || keys.has(ref)) return
  report(path, 'reference', `${JSON.stringify(ref)} is not a field of this form`)
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
