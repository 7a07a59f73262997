import { Input } from 'antd'
import { useState } from 'react'
import { fractionToPercent, percentToFraction } from '../format/percent-text.js'

interface PercentInputProps {
  id?: string
  /** The stored fraction as decimal text: "0.13" is 13 %. */
  value?: string | null
  onChange?(value: string | null): void
  onBlur?(): void
  status?: 'error'
  disabled?: boolean
}

/**
 * A percentage typed as people say it ("13" for 13 %) and kept as the
 * fraction the API stores ("0.13"), converted on the decimal text. While
 * focused it shows exactly what was typed, so a half-typed "12." stays.
 */
export function PercentInput({ value, onChange, onBlur, ...rest }: PercentInputProps) {
  const [typed, setTyped] = useState<string | undefined>(undefined)
  const shown = typed ?? (value ? fractionToPercent(value) : '')

  return (
    <Input
      {...rest}
      inputMode="decimal"
      autoComplete="off"
      className="percent-input"
      value={shown}
      suffix="%"
      onChange={(event) => {
        setTyped(event.target.value)
        onChange?.(percentToFraction(event.target.value))
      }}
      onBlur={() => {
        setTyped(undefined)
        onBlur?.()
      }}
    />
  )
}
