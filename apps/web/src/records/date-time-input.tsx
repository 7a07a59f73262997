import { DEFAULT_TIME_ZONE } from '@tessera/core'
import { DatePicker, Typography } from 'antd'
import { useState } from 'react'
import { useLocale } from '../locale-context.js'
import dayjs, { type Dayjs } from 'dayjs'
import customParseFormat from 'dayjs/plugin/customParseFormat'
import { useSettings } from '../api/queries.js'
import { fromWallClock, toWallClock, WALL_CLOCK_FORMAT } from '../format/zoned-time.js'
import { boxText } from './date-input.js'

interface DateTimeInputProps {
  id?: string
  /** The field's label, to name it in a note about typed text that was not taken. */
  label?: string
  /** ISO 8601 text with an offset, as the API reads and writes it. */
  value?: string | null
  onChange?(value: string | null): void
  status?: 'error'
  disabled?: boolean
}

dayjs.extend(customParseFormat)

/** Shown as the first; typed text is read by any of them (with seconds, with slashes). */
const FORMATS = ['YYYY-MM-DD HH:mm', 'YYYY-MM-DD HH:mm:ss', 'YYYY-MM-DD H:mm', 'YYYY/MM/DD HH:mm', 'YYYY/MM/DD HH:mm:ss']

/**
 * Picks a moment on the company's wall clock (the time zone from
 * /api/settings), whatever zone the browser is in. The picker only ever
 * sees the wall-clock digits; the value is ISO text with the company
 * zone's offset, e.g. "2025-03-14T09:30:00+08:00".
 *
 * What is picked or typed is taken as soon as it reads as a moment, with
 * no confirm button to forget: text typed over the value and left by a
 * click elsewhere is read when the input loses focus (the picker itself
 * would put the old value back).
 */
export function DateTimeInput({ value, onChange, label, ...rest }: DateTimeInputProps) {
  const settings = useSettings()
  const { t } = useLocale()
  const timeZone = settings.data?.timeZone ?? DEFAULT_TIME_ZONE
  const shown = value ? dayjs(toWallClock(value, timeZone), WALL_CLOCK_FORMAT) : null
  // Text typed that reads as no moment: named under the field, as for dates, not dropped in silence.
  const [dropped, setDropped] = useState<string | undefined>()

  return (
    <span className="date-input-holder">
      <DatePicker
        {...rest}
        className="date-input"
        showTime={{ format: 'HH:mm' }}
        format={FORMATS}
        needConfirm={false}
        value={shown}
        onChange={(picked: Dayjs | null) => {
          setDropped(undefined)
          onChange?.(picked ? fromWallClock(picked.format(WALL_CLOCK_FORMAT), timeZone) : null)
        }}
        onBlur={(event) => {
          const text = boxText(event.target).trim()
          const typed = text === '' ? undefined : dayjs(text, FORMATS, true)
          if (!typed?.isValid()) {
            const kept = shown ? shown.format(FORMATS[0]) : ''
            setDropped(text !== '' && text !== kept ? text : undefined)
            return
          }
          setDropped(undefined)
          const wall = typed.format(WALL_CLOCK_FORMAT)
          if (wall !== shown?.format(WALL_CLOCK_FORMAT)) onChange?.(fromWallClock(wall, timeZone))
        }}
      />
      {dropped !== undefined && (
        <Typography.Text type="danger" className="date-input-dropped" data-date-dropped={dropped}>
          {t('form.dateTimeDropped', { text: dropped, label: label ?? '' })}
        </Typography.Text>
      )}
    </span>
  )
}
