import { Input } from 'antd'
import { useState } from 'react'
import { EXACT_DIGITS, significantDigits } from '@tessera/forms'
import { cleanMoneyText } from './form-values.js'

interface NumberInputProps {
  id?: string
  value?: number | string | null
  onChange?(value: number | string | null): void
  onBlur?(): void
  status?: 'error'
  disabled?: boolean
}

const COMPLETE = /^-?\d+(\.\d+)?$/

/**
 * A number field's input. What is typed stays as typed: a number (also in
 * full-width digits or with thousands separators) becomes the value, and
 * anything else is kept as text for validation to name ("必须是数字"),
 * never emptied or rounded when the field is left. A number of more
 * significant digits than a number field keeps exactly stays text too
 * (as a JavaScript number it would turn into a neighbour: 12345678901234567
 * into …568), and validation says how many digits the field keeps.
 */
export function NumberInput({ value, onChange, onBlur, ...rest }: NumberInputProps) {
  const [typed, setTyped] = useState<string | undefined>(undefined)
  const shown = typed ?? (value === null || value === undefined ? '' : String(value))
  return (
    <Input
      {...rest}
      inputMode="decimal"
      autoComplete="off"
      className="number-input"
      value={shown}
      onChange={(event) => {
        const text = event.target.value
        setTyped(text)
        const clean = cleanMoneyText(text)
        if (clean === '') onChange?.(null)
        else if (clean !== undefined && COMPLETE.test(clean) && significantDigits(clean) <= EXACT_DIGITS) onChange?.(Number(clean))
        else if (clean !== undefined && COMPLETE.test(clean)) onChange?.(clean)
        else onChange?.(text)
      }}
      onBlur={() => {
        setTyped(undefined)
        onBlur?.()
      }}
    />
  )
}
