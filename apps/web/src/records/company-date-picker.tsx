import { DEFAULT_TIME_ZONE, todayIn } from '@tessera/core'
import { Button, DatePicker } from 'antd'
import type { DatePickerProps } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useSettings } from '../api/queries.js'
import { useLocale } from '../locale-context.js'

const FORMAT = 'YYYY-MM-DD'

/**
 * antd's DatePicker with its "today" taken from the company's calendar (the
 * time zone from /api/settings), not the browser's: the picker's own Today
 * button would fill the day before in a browser west of the company after
 * its midnight. Every date picker of the app is this one. The button is
 * left out when today lies outside `minDate`…`maxDate`.
 */
export function CompanyDatePicker(props: DatePickerProps) {
  const { t } = useLocale()
  const settings = useSettings()
  const [open, setOpen] = useState(false)
  return (
    <DatePicker
      {...props}
      open={open}
      onOpenChange={(next) => {
        setOpen(next)
        props.onOpenChange?.(next)
      }}
      showNow={false}
      renderExtraFooter={() => {
        const today = todayIn(settings.data?.timeZone ?? DEFAULT_TIME_ZONE)
        const day = dayjs(today, FORMAT)
        if ((props.minDate && day.isBefore(props.minDate, 'day')) || (props.maxDate && day.isAfter(props.maxDate, 'day'))) return null
        return (
          <Button type="link" size="small" data-action="company-today" onClick={() => {
            props.onChange?.(day, today)
            setOpen(false)
          }}>{t('form.today')}</Button>
        )
      }}
    />
  )
}
