import type { LineFieldDefinition, Locale } from '@tessera/core'
import dayjs, { type Dayjs } from 'dayjs'
import { DATE_FORMAT, FieldControl } from './field-control.js'

interface CellControlProps {
  field: LineFieldDefinition
  app: string
  locale: Locale
  value: unknown
  onChange(value: unknown): void
  /** This cell holds a bad value (outlined in red). */
  invalid?: boolean
  /** What a screen reader says for the input: the column and the line. */
  label?: string
}

/**
 * One cell of a line-items table: the field's usual control, given its
 * value directly (a Form.Item does that for top-level fields, and turns
 * date text into the picker's dayjs and back; here the cell does).
 */
export function CellControl({ field, app, locale, value, onChange, invalid = false, label }: CellControlProps) {
  const injected =
    field.type === 'date'
      ? {
          value: typeof value === 'string' && value ? dayjs(value, DATE_FORMAT) : null,
          onChange: (picked: Dayjs | null) => onChange(picked ? picked.format(DATE_FORMAT) : null),
        }
      : {
          value,
          onChange: (next: unknown) => onChange(isChangeEvent(next) ? next.target.value : next),
        }
  const named = label === undefined ? {} : { 'aria-label': label }
  return <FieldControl field={field} app={app} locale={locale} invalid={invalid} {...named} {...injected} />
}

/** Text inputs report an event; the other controls report their value. */
function isChangeEvent(value: unknown): value is { target: { value: unknown } } {
  return typeof value === 'object' && value !== null && 'target' in value
}
