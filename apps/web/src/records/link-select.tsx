import { Select } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useLinkOptions } from '../api/queries.js'
import { useLocale } from '../locale-context.js'

interface LinkSelectProps {
  id?: string
  value?: number | null
  onChange?(value: number | null): void
  app: string
  /** The linked form's key. */
  form: string
  /** The title of the record linked when the page opened. */
  initialTitle?: string | null
  status?: 'error'
  disabled?: boolean
}

const SEARCH_DELAY_MS = 250

/**
 * Picks one record of another form by searching its titles through
 * /options. Titles already seen are remembered, so the chosen record keeps
 * its name when a new search no longer lists it.
 */
export function LinkSelect({ value, onChange, app, form, initialTitle, ...rest }: LinkSelectProps) {
  const { t } = useLocale()
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [query, setQuery] = useState('')
  const [titles, setTitles] = useState<Map<number, string>>(() => {
    const seen = new Map<number, string>()
    if (typeof value === 'number' && initialTitle) seen.set(value, initialTitle)
    return seen
  })

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(typed.trim()), SEARCH_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [typed])

  const found = useLinkOptions(app, form, query, open)
  useEffect(() => {
    if (!found.data) return
    setTitles((previous) => {
      const next = new Map(previous)
      for (const option of found.data) next.set(option.id, option.title)
      return next
    })
  }, [found.data])

  const options = useMemo(() => {
    const listed = (found.data ?? []).map((option) => ({ value: option.id, label: option.title }))
    if (typeof value === 'number' && !listed.some((option) => option.value === value)) {
      listed.unshift({ value, label: titles.get(value) ?? `#${value}` })
    }
    return listed
  }, [found.data, titles, value])

  return (
    <Select<number | null>
      {...rest}
      allowClear
      value={value ?? null}
      options={options}
      placeholder={t('form.linkSearch')}
      loading={found.isFetching}
      showSearch={{ filterOption: false, onSearch: setTyped, searchValue: typed }}
      onOpenChange={setOpen}
      onChange={(next) => {
        setTyped('')
        onChange?.(next ?? null)
      }}
      notFoundContent={found.isFetching ? t('common.loading') : t('common.empty')}
    />
  )
}
