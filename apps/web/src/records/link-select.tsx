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
 * its name when a new search no longer lists it. The search typed is
 * forgotten when the list closes.
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

  // While a search is typed, only its own results are offered, and none
  // until they have come: Enter must never pick the record chosen before, or
  // a result of the previous search.
  const searching = typed.trim() !== ''
  const settled = !searching || (typed.trim() === query && !found.isFetching)
  // Enter pressed before the results came: the first of them is chosen as
  // soon as they do, instead of Enter doing nothing and the old record staying.
  const [enterPending, setEnterPending] = useState(false)
  useEffect(() => {
    if (!enterPending || !settled) return
    setEnterPending(false)
    const first = found.data?.[0]
    if (!first) return
    setTyped('')
    setOpen(false)
    onChange?.(first.id)
  }, [enterPending, settled, found.data, onChange])

  const options = useMemo(() => {
    if (!settled) return []
    const listed = (found.data ?? []).map((option) => ({ value: option.id, label: option.title }))
    if (!searching && typeof value === 'number' && !listed.some((option) => option.value === value)) {
      listed.unshift({ value, label: titles.get(value) ?? `#${value}` })
    }
    return listed
  }, [found.data, titles, value, searching, settled])

  return (
    <div
      className="link-select"
      onKeyDownCapture={(event) => {
        // Caught before the select sees it: it would close on an empty list.
        if (event.key !== 'Enter' || settled) return
        event.preventDefault()
        event.stopPropagation()
        setEnterPending(true)
      }}
    >
      <Select<number | null>
        {...rest}
        allowClear
        open={open}
        value={value ?? null}
        options={options}
        placeholder={t('form.linkSearch')}
        loading={found.isFetching}
        showSearch={{ filterOption: false, onSearch: setTyped, searchValue: typed }}
        onOpenChange={(opened) => {
          setOpen(opened)
          if (!opened) setTyped('')
        }}
        onChange={(next) => {
          setTyped('')
          onChange?.(next ?? null)
        }}
        notFoundContent={found.isFetching || !settled ? t('common.loading') : t('common.empty')}
      />
    </div>
  )
}
