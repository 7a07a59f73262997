import { localize } from '@tessera/core'
import { Grid, Input, Select, Space } from 'antd'
import { useRef, useState } from 'react'
import type { DashboardFilter } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import { useFilterOptions } from './dashboard-queries.js'
import { PeriodPicker } from './param-bar.js'

interface FilterBarProps {
  app: string
  dashboard: string
  filters: readonly DashboardFilter[]
  values: Record<string, string[]>
  onChange(key: string, values: string[]): void
}

/**
 * The dashboard's global filters: each narrows every widget at once. A
 * select searches its choices on the server; `data-filter="<key>"` marks
 * each control for browser tests.
 */
export function FilterBar({ app, dashboard, filters, values, onChange }: FilterBarProps) {
  const { locale } = useLocale()
  if (filters.length === 0) return null
  return (
    <Space wrap className="filter-bar">
      {filters.map((filter) => {
        const label = localize(filter.label, locale) || filter.key
        const chosen = values[filter.key] ?? []
        return (
          <label key={filter.key} className="param" data-filter={filter.key}>
            <span className="param-label">{label}</span>
            {filter.type === 'date-range' ? (
              <PeriodPicker label={label} value={chosen[0] ?? ''}
                onChange={(value) => onChange(filter.key, [value])} />
            ) : filter.type === 'text' ? (
              <Input.Search key={chosen[0] ?? ''} aria-label={label} defaultValue={chosen[0]} allowClear
                onSearch={(text) => onChange(filter.key, text.trim() ? [text.trim()] : [])} />
            ) : (
              <FilterSelect app={app} dashboard={dashboard} filter={filter.key} label={label}
                value={chosen} others={values} onChange={(next) => onChange(filter.key, next)} />
            )}
          </label>
        )
      })}
    </Space>
  )
}

function FilterSelect({ app, dashboard, filter, label, value, others, onChange }: {
  app: string
  dashboard: string
  filter: string
  label: string
  value: string[]
  /** Every filter's values: the choices are narrowed by the others read from the same form. */
  others: Record<string, string[]>
  onChange(values: string[]): void
}) {
  const { t } = useLocale()
  const [q, setQ] = useState('')
  const [open, setOpen] = useState(false)
  // On a phone the list covers the page: a pick closes it, as a single choice would.
  const phone = Grid.useBreakpoint().sm === false
  const options = useFilterOptions(app, dashboard, filter, q, others)
  // Labels of codes seen so far, so a chosen code keeps its label while a search lists others.
  const known = useRef(new Map<string, string>())
  for (const option of options.data ?? []) known.current.set(option.value, option.label)
  return (
    <Select
      mode="multiple"
      aria-label={label}
      allowClear
      showSearch={{ onSearch: setQ, filterOption: false }}
      placeholder={t('dashboard.filterAll')}
      loading={options.isFetching}
      open={open}
      onOpenChange={setOpen}
      value={value}
      onChange={(next: string[]) => {
        onChange(next)
        if (phone) setOpen(false)
      }}
      options={options.data ?? []}
      // The list as wide as its longest choice (a company's full name), not cut at the box's width.
      popupMatchSelectWidth={false}
      labelRender={({ value, label }) => label ?? known.current.get(String(value)) ?? String(value)}
      maxTagCount="responsive"
    />
  )
}
