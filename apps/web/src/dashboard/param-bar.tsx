import { type PeriodDefault, isIsoDate, localize, periodAround } from '@tessera/core'
import { AutoComplete, Button, DatePicker, Input, Space } from 'antd'
import { useEffect, useState } from 'react'
import { DateInput } from '../records/date-input.js'
import dayjs, { type Dayjs } from 'dayjs'
import type { DashboardParam } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import { useSettings } from '../api/queries.js'

interface ParamBarProps {
  params: readonly DashboardParam[]
  values: Record<string, string>
  onChange(key: string, value: string): void
  onRefresh(): void
  /** A text param's suggestions for what the reader typed (a report's params that say `suggest`). */
  suggest?(param: string, q: string): Promise<string[]>
}

const DATE_FORMAT = 'YYYY-MM-DD'

/**
 * The dashboard's parameters, shared by every widget: a date picker for
 * dates, a range picker for periods (kept as "from..to"), a text box else.
 */
export function ParamBar({ params, values, onChange, onRefresh, suggest }: ParamBarProps) {
  const { locale, t } = useLocale()
  return (
    <Space wrap className="param-bar">
      {params.map((param) => {
        const label = localize(param.label, locale)
        const value = values[param.key] ?? ''
        return (
          <label key={param.key} className="param" data-param={param.key}>
            <span className="param-label">{label}</span>
            {param.type === 'date' ? (
              // A day typed that is no date (2026-02-30) is named beside the picker, not dropped unsaid.
              <DateInput
                label={label}
                aria-label={label}
                allowClear={false}
                // A date that is no calendar date (typed into the URL) shows as
                // an empty, marked picker, never as a neighbouring day.
                value={isIsoDate(value) ? dayjs(value, DATE_FORMAT) : null}
                status={value !== '' && !isIsoDate(value) ? 'error' : undefined}
                placeholder={value !== '' && !isIsoDate(value) ? value : undefined}
                format={DATE_FORMAT}
                onChange={(date) => {
                  const day = Array.isArray(date) ? date[0] : date
                  if (day) onChange(param.key, day.format(DATE_FORMAT))
                }}
              />
            ) : param.type === 'period' ? (
              <PeriodPicker label={label} value={value} onChange={(next) => onChange(param.key, next)} />
            ) : param.suggest && suggest ? (
              <SuggestedText key={value} label={label} value={value}
                suggest={(q) => suggest(param.key, q)} onChange={(next) => onChange(param.key, next)} />
            ) : (
              <Input.Search
                key={value}
                aria-label={label}
                defaultValue={value}
                onSearch={(text) => onChange(param.key, text.trim())}
                allowClear
              />
            )}
          </label>
        )
      })}
      <Button onClick={onRefresh} data-action="refresh">{t('dashboard.refresh')}</Button>
    </Space>
  )
}

const PERIOD_PRESETS = [
  'month_to_date', 'this_month', 'last_month', 'quarter_to_date', 'last_quarter', 'year_to_date', 'last_year',
] as const satisfies readonly PeriodDefault[]

/** A range of days as "from..to", both days included, with the usual periods one click away. */
export function PeriodPicker({ label, value, onChange }: {
  label: string
  value: string
  onChange(value: string): void
}) {
  const { t } = useLocale()
  const today = useSettings().data?.today
  const [from, to] = value.split('..')
  const valid = isIsoDate(from) && isIsoDate(to)
  // The periods people name (上月, 本季度…), around the company's today.
  const presets = today === undefined ? undefined : PERIOD_PRESETS.map((name) => {
    const period = periodAround(name, today)
    return { label: t(`period.${name}`), value: [dayjs(period.from, DATE_FORMAT), dayjs(period.to, DATE_FORMAT)] as [Dayjs, Dayjs] }
  })
  return (
    <DatePicker.RangePicker
      aria-label={label}
      presets={presets}
      allowClear={false}
      format={DATE_FORMAT}
      value={valid ? [dayjs(from, DATE_FORMAT), dayjs(to, DATE_FORMAT)] : null}
      status={value !== '' && !valid ? 'error' : undefined}
      onChange={(range) => {
        const [start, end] = range ?? []
        if (start && end) onChange(`${start.format(DATE_FORMAT)}..${end.format(DATE_FORMAT)}`)
      }}
    />
  )
}

/**
 * A text box offering values as the reader types (a customer's name, say);
 * choosing one, or pressing Enter on any text, sets the param.
 */
function SuggestedText({ label, value, suggest, onChange }: {
  label: string
  value: string
  suggest(q: string): Promise<string[]>
  onChange(value: string): void
}) {
  const [text, setText] = useState(value)
  const [options, setOptions] = useState<string[]>([])
  useEffect(() => {
    let current = true
    const timer = setTimeout(() => {
      suggest(text).then((found) => { if (current) setOptions(found) }, () => { if (current) setOptions([]) })
    }, 250)
    return () => {
      current = false
      clearTimeout(timer)
    }
    // The suggestions follow the text typed (`suggest` is a new function on every render).
  }, [text])
  return (
    <AutoComplete
      value={text}
      options={options.map((one) => ({ value: one, label: one }))}
      onChange={(next: string) => setText(next)}
      onSelect={(chosen: string) => onChange(chosen)}
      popupMatchSelectWidth={false}
      style={{ minWidth: 220 }}
    >
      <Input.Search aria-label={label} allowClear onSearch={(typed) => onChange(typed.trim())} />
    </AutoComplete>
  )
}
