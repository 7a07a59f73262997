import { DEFAULT_TIME_ZONE } from '@tessera/core'
import { DatePicker } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useSettings } from '../api/queries.js'
import { fromWallClock, toWallClock, WALL_CLOCK_FORMAT } from '../format/zoned-time.js'

interface DateTimeInputProps {
  id?: string
  /** ISO 8601 text with an offset, as the API reads and writes it. */
  value?: string | null
  onChange?(value: string | null): void
  status?: 'error'
  disabled?: boolean
}

/**
 * Picks a moment on the company's wall clock (the time zone from
 * /api/settings), whatever zone the browser is in. The picker only ever
 * sees the wall-clock digits; the value is ISO text with the company
 * zone's offset, e.g. "2025-03-14T09:30:00+08:00".
 */
export function DateTimeInput({ value, onChange, ...rest }: DateTimeInputProps) {
  const settings = useSettings()
  const timeZone = settings.data?.timeZone ?? DEFAULT_TIME_ZONE
  const shown = value ? dayjs(toWallClock(value, timeZone), WALL_CLOCK_FORMAT) : null

  return (
    <DatePicker
      {...rest}
      className="date-input"
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      value={shown}
      onChange={(picked: Dayjs | null) => {
        onChange?.(picked ? fromWallClock(picked.format(WALL_CLOCK_FORMAT), timeZone) : null)
      }}
    />
  )
}
