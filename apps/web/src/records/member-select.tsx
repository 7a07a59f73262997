import { Select } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useLocale } from '../locale-context.js'
import { useSettledSearch, useTypedSearch } from './picker-search.js'
import { usePeopleByIds, usePeopleSearch, type Person } from './people-queries.js'

type MemberValue = number | number[] | null

interface MemberSelectProps {
  id?: string
  value?: MemberValue
  onChange?(value: MemberValue): void
  multiple?: boolean
  status?: 'error'
  disabled?: boolean
}

function idsOf(value: MemberValue | undefined): number[] {
  if (Array.isArray(value)) return value
  return typeof value === 'number' ? [value] : []
}

/** "张三 · 销售部": a person with their department, to tell namesakes apart. */
function personLabel(person: Person): string {
  return person.department ? `${person.name} · ${person.department.name}` : person.name
}

/**
 * Picks one user (or several, for a `multiple` member field) by searching
 * their names through GET /api/people. Names of users already chosen are
 * fetched by id, so a record opened later shows names, not numbers.
 */
export function MemberSelect({ value, onChange, multiple, ...rest }: MemberSelectProps) {
  const { t } = useLocale()
  const search = useTypedSearch()
  const [names, setNames] = useState<Map<number, string>>(() => new Map())

  const found = usePeopleSearch(search.query, search.open)
  const chosen = usePeopleByIds(idsOf(value))
  useEffect(() => {
    const people = [...(found.data ?? []), ...(chosen.data ?? [])]
    if (people.length === 0) return
    setNames((previous) => {
      const next = new Map(previous)
      for (const person of people) next.set(person.id, personLabel(person))
      return next
    })
  }, [found.data, chosen.data])

  // As in the link picker: while a search is typed, its own results come
  // first and none before they arrive, so Enter never picks (or, for
  // several, unpicks) someone chosen before, and an early Enter picks (adds)
  // the first result when it comes. Those chosen before stay listed last,
  // unable to be picked, so that their tags keep their names.
  const { searching, settled, onKeyDownCapture } = useSettledSearch(search, found, (id) => {
    if (multiple) onChange?.([...new Set([...idsOf(value), id])])
    else onChange?.(id)
  })
  const options = useMemo(() => {
    const listed: { value: number; label: string; disabled?: boolean }[] = settled
      ? (found.data ?? []).map((person) => ({ value: person.id, label: personLabel(person) }))
      : []
    for (const id of idsOf(value)) {
      if (listed.some((option) => option.value === id)) continue
      const option = { value: id, label: names.get(id) ?? `#${id}` }
      if (searching) listed.push({ ...option, disabled: true })
      else listed.unshift(option)
    }
    return listed
  }, [found.data, names, value, searching, settled])

  return (
    <div className="member-select" onKeyDownCapture={onKeyDownCapture}>
      <Select<MemberValue>
        {...rest}
        open={search.open}
        mode={multiple ? 'multiple' : undefined}
        allowClear
        value={multiple ? idsOf(value) : (value ?? null)}
        options={options}
        placeholder={t('people.search')}
        loading={found.isFetching}
        showSearch={{ filterOption: false, onSearch: search.setTyped, searchValue: search.typed }}
        onOpenChange={search.onOpenChange}
        onChange={(next) => {
          search.setTyped('')
          if (multiple) onChange?.(Array.isArray(next) && next.length > 0 ? next : null)
          else onChange?.(typeof next === 'number' ? next : null)
        }}
        notFoundContent={found.isFetching || !settled ? t('common.loading') : t('common.empty')}
        data-control="member"
      />
    </div>
  )
}
