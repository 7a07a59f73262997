import { useQuery } from '@tanstack/react-query'
import { apiRequest } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'

/** A user as GET /api/people lists them: no username, e-mail or roles. */
export interface Person {
  id: number
  name: string
  department: { id: number; name: string } | null
  disabled?: true
}

/** A department as GET /api/people/departments lists them, parents first. */
export interface DepartmentEntry {
  id: number
  name: string
  parentId: number | null
  path: string
}

/** Enabled users whose name contains `q`, while the picker is open. */
export function usePeopleSearch(q: string, enabled: boolean) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'people', q],
    queryFn: ({ signal }) => apiRequest<Person[]>({ path: '/people', query: { q, limit: 20 }, locale, signal }),
    enabled,
    staleTime: 30_000,
  })
}

/** The users a value names, for their names (disabled ones too). */
export function usePeopleByIds(ids: readonly number[]) {
  const { locale } = useLocale()
  const sorted = [...ids].sort((a, b) => a - b)
  return useQuery({
    queryKey: [locale, 'people', 'ids', sorted],
    queryFn: ({ signal }) =>
      apiRequest<Person[]>({ path: '/people', query: { ids: sorted.join(',') }, locale, signal }),
    enabled: sorted.length > 0,
    staleTime: 60_000,
  })
}

export function useDepartments() {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'people', 'departments'],
    queryFn: ({ signal }) =>
      apiRequest<DepartmentEntry[]>({ path: '/people/departments', locale, signal }),
    staleTime: 60_000,
  })
}
