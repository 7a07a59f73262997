import { localize } from '@tessera/core'
import { Button, DatePicker, Input, Space } from 'antd'
import dayjs from 'dayjs'
import type { DashboardParam } from '../api/types.js'
import { useLocale } from '../locale-context.js'

interface ParamBarProps {
  params: readonly DashboardParam[]
  values: Record<string, string>
  onChange(key: string, value: string): void
  onRefresh(): void
}

const DATE_FORMAT = 'YYYY-MM-DD'

/** The dashboard's parameters (a date picker for dates), shared by every widget. */
export function ParamBar({ params, values, onChange, onRefresh }: ParamBarProps) {
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
              <DatePicker
                aria-label={label}
                allowClear={false}
                value={value ? dayjs(value, DATE_FORMAT) : null}
                format={DATE_FORMAT}
                onChange={(date) => date && onChange(param.key, date.format(DATE_FORMAT))}
              />
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
      <Button onClick={onRefresh}>{t('dashboard.refresh')}</Button>
    </Space>
  )
}
