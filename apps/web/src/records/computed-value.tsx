import type { FieldDefinition } from '@tessera/core'
import { storedAs } from '@tessera/forms'
import { Input } from 'antd'
import { useSettings } from '../api/queries.js'
import { formatFieldValue } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'

interface ComputedValueProps {
  id?: string
  field: FieldDefinition
  value?: unknown
  status?: 'error'
}

/**
 * The value of a formula, rollup, lookup or autonumber: shown, never typed. Formulas
 * update live from the other inputs; a new record's number reads
 * "assigned when saved" until the server gives it one.
 */
export function ComputedValue({ id, field, value, status }: ComputedValueProps) {
  const { locale, t } = useLocale()
  const timeZone = useSettings().data?.timeZone
  const stored = storedAs(field)
  const shown = formatFieldValue(stored, value, locale, null, timeZone)
  const placeholder = field.type === 'autonumber' ? t('form.autonumberPending') : t('form.computed')
  // Amounts line up on the right whatever computes them: a formula, a rollup or a lookup.
  const numeric = ['money', 'number', 'percent'].includes(stored.type)

  return (
    <Input
      id={id}
      readOnly
      tabIndex={-1}
      status={status}
      value={shown}
      placeholder={placeholder}
      className={numeric ? 'computed-input money-input' : 'computed-input'}
      data-computed={field.type}
    />
  )
}
