import { FIRST_DATE, LAST_DATE, isIsoDate } from '@tessera/core'
import { Typography } from 'antd'
import type { DatePickerProps } from 'antd'
import dayjs from 'dayjs'
import customParseFormat from 'dayjs/plugin/customParseFormat'
import { useRef, useState } from 'react'
import { useLocale } from '../locale-context.js'
import { CompanyDatePicker } from './company-date-picker.js'

dayjs.extend(customParseFormat)

const FORMAT = 'YYYY-MM-DD'
/**
 * What a typed day may look like: the picker shows and reads the first; the
 * others (2026/3/1, 2026-3-1, 2026.3.1, 20260301, 2026年3月1日, as imports
 * read them) are read by typedDay when the box is left or Enter pressed.
 */
const TYPED_FORMATS = [
  FORMAT,
  // Strict reading takes 3 for M and 03 for MM only: every mix of the two.
  ...[['-', '-', ''], ['/', '/', ''], ['.', '.', ''], ['年', '月', '日']].flatMap(([first, second, end]) =>
    ['M', 'MM'].flatMap((month) => ['D', 'DD'].map((day) => `YYYY${first}${month}${second}${day}${end}`))),
  'YYYYMMDD',
]

/** The day a typed text names in one of the accepted layouts, as YYYY-MM-DD; undefined when none. */
export function typedDay(text: string): string | undefined {
  for (const layout of TYPED_FORMATS) {
    const day = dayjs(text, layout, true)
    if (day.isValid()) return day.format(FORMAT)
  }
  return undefined
}

/**
 * A calendar date field, typed as YYYY-MM-DD or in the other common layouts
 * (see TYPED_FORMATS). antd's picker drops text it cannot read when the
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
    }} onKeyDownCapture={(event) => {
      // Enter on a day in another layout (2026/3/1): taken as that day, as leaving the box does.
      if (event.key !== 'Enter') return
      const text = typed.current.trim()
      const day = typedDay(text)
      if (day === undefined || day === text || day < earliest || day > latest) return
      typed.current = ''
      setDropped(undefined)
      props.onChange?.(dayjs(day, FORMAT), day)
    }}>
      <CompanyDatePicker
        {...props}
        className="date-input"
        // One layout for the picker: given several, it rewrote a day half typed in the usual one
        // (2026-12-2 became 2026-12-02, and the next key made 2026-12-025). The others are read
        // here, when the box is left or Enter is pressed.
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
          const day = typedDay(text)
          const takes = text !== '' && day !== undefined && day !== kept && isIsoDate(day) && day >= earliest && day <= latest
          // The picker takes a typed day on Enter only: left by a click or Tab, the day is taken here.
          if (takes) props.onChange?.(dayjs(day, FORMAT), day)
          setDropped(text !== '' && day !== kept && !takes ? text : undefined)
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
