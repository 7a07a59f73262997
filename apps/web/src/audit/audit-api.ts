import type { FieldDefinition } from '@tessera/core'
import { useQuery } from '@tanstack/react-query'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'

/** An audit row as GET /api/admin/audit and …/records/:id/history give it. */
export interface AuditRow {
  id: number
  at: string
  actor: string
  action: string
  app: string | null
  form: string | null
  recordId: number | null
  before: unknown
  after: unknown
  context: Record<string, unknown> | null
  /** Record history: the actor's display name, when a user. */
  actorName?: string
  /** Record history: names for the ids of link, member and department fields, by side and field. */
  titles?: { before: Record<string, string | null>; after: Record<string, string | null> }
  /** Record history: fields removed from the form since, as last published, to name their values. */
  removedFields?: FieldDefinition[]
}

export interface AuditPage {
  items: AuditRow[]
  total: number
  page: number
  pageSize: number
}

/** The filters of the audit search; empty strings are left out of the query. */
export interface AuditFilters {
  actor?: string
  action?: string
  app?: string
  form?: string
  record?: string
  from?: string
  to?: string
  page: number
  pageSize: number
}

export function useAuditSearch(filters: AuditFilters) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'audit', filters],
    queryFn: ({ signal }) => apiRequest<AuditPage>({ path: '/admin/audit', query: { ...filters }, locale, signal }),
    placeholderData: (previous) => previous,
  })
}

/** The record's own history; the version in the key refetches it after each save. */
export function useRecordHistory(app: string, form: string, id: number, version: number) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'history', app, form, id, version],
    queryFn: ({ signal }) =>
      apiRequest<AuditRow[]>({ path: apiPath('apps', app, 'forms', form, 'records', id, 'history'), locale, signal }),
  })
}
