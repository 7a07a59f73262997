import { FIRST_DATE, LAST_DATE, isIsoDate } from '@tessera/core'
import { Typography } from 'antd'
import type { DatePickerProps } from 'antd'
import dayjs from 'dayjs'
import { useRef, useState } from 'react'
import { useLocale } from '../locale-context.js'
import { CompanyDatePicker } from './company-date-picker.js'

const FORMAT = 'YYYY-MM-DD'

/**
 * A calendar date field. antd's picker drops text it cannot read when the
 * field is left, so a typed "2026-13-45" would vanish and the form would
 * then say the field is empty: the text left behind is named under the
 * field instead. Days before 1900 or after 9999 (and outside the field's
 * own bounds) cannot be picked, as the server would refuse them.
 * Its "today" is the company's (see CompanyDatePicker).
 */
export function DateInput({ min, max, label, ...props }: DatePickerProps & { min?: string; max?: string; label?: string }) {
  const { t } = useLocale()
  const [dropped, setDropped] = useState<string | undefined>()
  // What was last typed: the picker may have emptied the box by the time it reports the blur.
  const typed = useRef('')
  const earliest = min !== undefined && min > FIRST_DATE ? min : FIRST_DATE
  const latest = max !== undefined && max < LAST_DATE ? max : LAST_DATE
  return (
    <span className="date-input-holder" onInputCapture={(event) => {
      typed.current = boxText(event.target)
    }}>
      <CompanyDatePicker
        {...props}
        className="date-input"
        format={FORMAT}
        minDate={dayjs(earliest, FORMAT)}
        maxDate={dayjs(latest, FORMAT)}
        onChange={(value, text) => {
          setDropped(undefined)
          typed.current = ''
          props.onChange?.(value, text)
        }}
        onBlur={(event, info) => {
          const text = (typed.current || boxText(event.target)).trim()
          typed.current = ''
          // What the picker kept is shown in the box; anything else typed was not a day it could read.
          const kept = props.value ? dayjs(props.value as dayjs.Dayjs).format(FORMAT) : ''
          setDropped(text !== '' && text !== kept && !(isIsoDate(text) && text >= earliest && text <= latest) ? text : undefined)
          props.onBlur?.(event, info)
        }}
      />
      {dropped !== undefined && (
        <Typography.Text type="danger" className="date-input-dropped" data-date-dropped={dropped}>
          {t('form.dateDropped', { text: dropped, from: earliest, to: latest, label: label ?? '' })}
        </Typography.Text>
      )}
    </span>
  )
}

/**
 * The text in the box an event came from. A day picked in the calendar
 * reports its blur from the panel, which is no input: no text was typed.
 */
export function boxText(target: EventTarget | null): string {
  const value = (target as { value?: unknown } | null)?.value
  return typeof value === 'string' ? value : ''
}
