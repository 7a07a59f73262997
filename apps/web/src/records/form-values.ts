import type { FieldDefinition, FormDefinition, RecordData } from '@tessera/core'

/**
 * Form state holds the record's JSON values as they are: money as decimal
 * strings, dates as "YYYY-MM-DD", links as ids. Only the date picker needs
 * a dayjs object, and it converts at its own boundary.
 */
export type FormValues = Record<string, unknown>

/** Who is filling in the form, for `default: "$me"` on a new record, and the company's today. */
export interface FormUser {
  id: number
  departmentId?: number
  today?: string
}

export function initialFormValues(definition: FormDefinition, record?: RecordData, me?: FormUser): FormValues {
  const values: FormValues = {}
  for (const field of definition.fields) {
    const value = record?.values[field.key]
    if (value !== undefined && value !== null) values[field.key] = value
    else if (!record && me) {
      const mine = field.type === 'date' ? (field.default === 'today' ? me.today : undefined)
        : field.type === 'select' ? field.default : meDefault(field, me)
      if (mine !== undefined) values[field.key] = mine
    }
  }
  return values
}

/** The value a member or department field with `default: "$me"` starts with. */
function meDefault(field: FieldDefinition, me: FormUser): unknown {
  if ((field.type !== 'member' && field.type !== 'department') || field.default !== '$me') return undefined
  const id = field.type === 'member' ? me.id : me.departmentId
  if (id === undefined) return undefined
  return field.multiple ? [id] : id
}

/**
 * The values to validate and send: every field of the form, empty inputs
 * as null (a PATCH must be able to clear a field).
 */
export function recordValues(definition: FormDefinition, form: FormValues): FormValues {
  const values: FormValues = {}
  for (const field of definition.fields) {
    const value = form[field.key]
    values[field.key] = value === undefined || value === '' ? null : value
  }
  return values
}

const PARTIAL_DECIMAL = /^-?\d*(\.\d*)?$/
/** Thousands separators in their places: "1,234,567.8" (while typing, "1,23" is not yet). */
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d*)?$/
/** A currency written before or after an amount copied from elsewhere: "¥", "RMB", "元". */
const CURRENCY_BEFORE = /^(?:[¥￥$€£]|[A-Za-z]{3}\$?)(?=[-\d.])/
const CURRENCY_AFTER = /(?<=[\d.])(?:元|[A-Za-z]{3})$/

/**
 * Cleans what someone typed or pasted into a money input, or returns
 * undefined when it is not (or not yet) a decimal number. Full-width digits
 * and signs become ASCII, a currency sign or code around the amount and
 * white space go, and thousands separators (, or ，) are taken out when they
 * stand in their places: "1,234.5" → "1234.5", "¥ 700.00" → "700.00",
 * "７００．５０" → "700.50", "700.00 元" → "700.00", "-" → "-" (still typing);
 * "700，50" → undefined (a comma where no separator goes).
 */
export function cleanMoneyText(text: string): string | undefined {
  const ascii = text
    .replace(/[\uFF10-\uFF19\uFF0E\uFF0D]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/，/g, ',')
  const compact = ascii.replace(/\s/g, '').replace(CURRENCY_BEFORE, '').replace(CURRENCY_AFTER, '')
  if (compact.includes(',')) return GROUPED.test(compact) ? compact.replace(/,/g, '') : undefined
  return PARTIAL_DECIMAL.test(compact) ? compact : undefined
}

/**
 * The decimal string a finished money input stands for, padded to `scale`
 * digits by text (never through a float); extra digits are kept so that
 * validation can say so rather than rounding them away unseen:
 * ("12.5", 2) → "12.50", ("0012", 2) → "12.00", ("", 2) → null, ("1.005", 2) → "1.005".
 */
export function finishMoneyText(text: string, scale: number): string | null {
  const clean = cleanMoneyText(text)
  if (clean === undefined) return text
  if (clean === '' || clean === '-' || clean === '.' || clean === '-.') return null

  const negative = clean.startsWith('-')
  const [rawWhole, rawFraction = ''] = (negative ? clean.slice(1) : clean).split('.')
  const whole = rawWhole.replace(/^0+(?=\d)/, '') || '0'
  const fraction = rawFraction.length < scale ? rawFraction.padEnd(scale, '0') : rawFraction
  const zero = /^0*$/.test(whole + fraction)
  const sign = negative && !zero ? '-' : ''
  return sign + whole + (fraction ? '.' + fraction : '')
}
