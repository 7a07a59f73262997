import { Select } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { DEFAULT_TIME_ZONE, localize } from '@tessera/core'
import type { LinkOption } from '../api/types.js'
import { LINK_OPTIONS_LIMIT, useFormDefinition, useLinkOptions, useSettings } from '../api/queries.js'
import { formatFieldValue } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'
import { useSettledSearch, useTypedSearch } from './picker-search.js'

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
  /** The link being picked on a record being filled in; see `PickerBounds`. */
  bounds?: PickerBounds
}

/**
 * The link being picked (`allocation.invoice`), which the server narrows by
 * the link's range and its form's agreements, and a reader of the values of
 * the record being filled in that those agreements read: read when the list
 * opens, so that the records offered fit what is filled in then.
 */
export interface PickerBounds {
  for: string
  read(): Record<string, unknown>
}

/**
 * Picks one record of another form by searching its titles through
 * /options. Titles already seen are remembered, so the chosen record keeps
 * its name when a new search no longer lists it. The search typed is
 * forgotten when the list closes.
 */
export function LinkSelect({ value, onChange, app, form, initialTitle, bounds, ...rest }: LinkSelectProps) {
  const { t } = useLocale()
  const search = useTypedSearch()
  const [boundValues, setBoundValues] = useState<Record<string, unknown>>({})
  const [titles, setTitles] = useState<Map<number, string>>(() => {
    const seen = new Map<number, string>()
    if (typeof value === 'number' && initialTitle) seen.set(value, initialTitle)
    return seen
  })

  // A title known only later (the list a filter was applied to has loaded
  // since) names the record instead of its #id.
  useEffect(() => {
    if (typeof value !== 'number' || !initialTitle) return
    setTitles((previous) => (previous.get(value) === initialTitle ? previous : new Map(previous).set(value, initialTitle)))
  }, [value, initialTitle])

  const found = useLinkOptions(app, form, search.query, search.open,
    bounds && { for: bounds.for, values: boundValues })
  const describe = useOptionDetails(app, form, found.data)
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
  // a result of the previous search (an early Enter waits for them).
  const { searching, settled, onKeyDownCapture } = useSettledSearch(search, found, (id) => onChange?.(id))
  const options = useMemo(() => {
    if (!settled) return []
    const listed: Array<{ value: number; label: string; details?: string }> = (found.data ?? []).map((option) =>
      ({ value: option.id, label: option.title, details: describe(option) }))
    if (!searching && typeof value === 'number' && !listed.some((option) => option.value === value)) {
      listed.unshift({ value, label: titles.get(value) ?? `#${value}` })
    }
    return listed
  }, [found.data, titles, value, searching, settled, describe])

  return (
    <div className="link-select" onKeyDownCapture={onKeyDownCapture}>
      <Select<number | null>
        {...rest}
        allowClear
        open={search.open}
        value={value ?? null}
        options={options}
        placeholder={t('form.linkSearch')}
        loading={found.isFetching}
        showSearch={{ filterOption: false, onSearch: search.setTyped, searchValue: search.typed }}
        onOpenChange={(opened) => {
          if (opened && bounds) setBoundValues(bounds.read())
          search.onOpenChange(opened)
        }}
        onChange={(next) => {
          search.setTyped('')
          onChange?.(next ?? null)
        }}
        notFoundContent={found.isFetching || !settled ? t('common.loading') : t('common.empty')}
        // A full page of matches may not be all of them: typing finds the rest.
        popupRender={(menu) => (
          <>
            {menu}
            {(found.data?.length ?? 0) >= LINK_OPTIONS_LIMIT && (
              <div className="link-options-more" data-options-more="">{t('form.linkMore', { count: LINK_OPTIONS_LIMIT })}</div>
            )}
          </>
        )}
        // The fields the linked form shows beside its titles, in the list only: the chosen record shows its title.
        optionRender={(option) => (
          <div className="link-option">
            <div>{option.label}</div>
            {option.data.details && <div className="link-option-details">{option.data.details}</div>}
          </div>
        )}
      />
    </div>
  )
}

/**
 * "到期日 2026-09-30 · 未收金额 1,200.00": the values an option carries
 * (the fields the linked form names in `ui.picker.fields`) with their
 * labels, formatted by the linked form's field types.
 */
function useOptionDetails(app: string, form: string, options: readonly LinkOption[] | undefined) {
  const { locale } = useLocale()
  const timeZone = useSettings().data?.timeZone ?? DEFAULT_TIME_ZONE
  const carries = options?.some((option) => option.values && Object.keys(option.values).length > 0) ?? false
  const definition = useFormDefinition(app, form, carries).data?.definition
  return useMemo(() => (option: LinkOption): string | undefined => {
    if (!definition || !option.values) return undefined
    const parts = Object.entries(option.values).flatMap(([key, value]) => {
      const field = definition.fields.find((one) => one.key === key)
      const shown = field ? formatFieldValue(field, value, locale, null, timeZone) : ''
      return field && shown !== '' ? [`${localize(field.label, locale)} ${shown}`] : []
    })
    return parts.length > 0 ? parts.join(' · ') : undefined
  }, [definition, locale, timeZone])
}
