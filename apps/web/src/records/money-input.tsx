import { Input } from 'antd'
import { useState } from 'react'
import { groupDigits } from '../format/decimal-text.js'
import { cleanMoneyText, finishMoneyText } from './form-values.js'

interface MoneyInputProps {
  id?: string
  value?: string | null
  onChange?(value: string | null): void
  onBlur?(): void
  scale: number
  currency?: string
  status?: 'error'
  disabled?: boolean
}

/**
 * A money amount kept as a decimal string from keystroke to request: no
 * InputNumber, whose value is a float. Shows thousands separators until the
 * first keystroke, and pads to the field's scale when left ("12.5" → "12.50").
 *
 * The text must not change on focus: a re-render there would drop the
 * selection that tabbing in (or a test's fill) has just made, and typing
 * would append to the old amount instead of replacing it. Separators,
 * currency signs and full-width digits typed or pasted are cleaned on each
 * change (cleanMoneyText). Text that is not an amount is kept as typed, so
 * the user sees it and validation names the field; it is never silently
 * dropped for the old amount.
 */
export function MoneyInput({ value, onChange, onBlur, scale, currency, ...rest }: MoneyInputProps) {
  const [editing, setEditing] = useState(false)
  const text = value ?? ''
  const shown = editing ? text : groupDigits(text)

  return (
    <Input
      {...rest}
      inputMode="decimal"
      autoComplete="off"
      className="money-input"
      value={shown}
      suffix={currency}
      onChange={(event) => {
        const typed = event.target.value
        const clean = cleanMoneyText(typed)
        setEditing(true)
        onChange?.(clean === undefined ? typed : clean === '' ? null : clean)
      }}
      onBlur={() => {
        setEditing(false)
        const finished = text === '' ? null : finishMoneyText(text, scale)
        if (finished !== value) onChange?.(finished)
        onBlur?.()
      }}
    />
  )
}
