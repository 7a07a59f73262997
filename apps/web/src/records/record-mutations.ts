import type { RecordData } from '@tessera/core'
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'

/**
 * After a write, everything of the app that may show what it changed is
 * stale: the records and lists of every form (a write keeps rollups,
 * formulas and limit totals of other forms current: an allocation changes
 * its invoice's 已核销 and its receipt's total), pickers that list titles,
 * and report and widget runs (dashboards sum the figures). Query keys
 * start with the locale.
 */
export function invalidateFormData(
  client: QueryClient,
  app: string,
  form: string,
  deletedId?: number,
) {
  return client.invalidateQueries({
    predicate: ({ queryKey }) => {
      const [, kind, keyApp, keyForm, , keyId] = queryKey
      if (keyApp !== app) return false
      if (kind === 'report-run' || kind === 'widget-run') return true
      // A deleted record's page is still open until we navigate away; refetching it would 404.
      if (deletedId !== undefined && keyForm === form && keyId === deletedId) return false
      return kind === 'records' || kind === 'options'
    },
  })
}

/** Saves (POST when new, PATCH with the loaded version when not) and deletes one record. */
export function useRecordMutations(app: string, form: string, record?: RecordData) {
  const { locale } = useLocale()
  const client = useQueryClient()
  const records = apiPath('apps', app, 'forms', form, 'records')

  const save = useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      record
        ? apiRequest<RecordData>({
            method: 'PATCH',
            path: records + apiPath(record.id),
            body: { version: record.version, values },
            locale,
          })
        : apiRequest<RecordData>({ method: 'POST', path: records, body: { values }, locale }),
    onSuccess: () => invalidateFormData(client, app, form),
  })

  const remove = useMutation({
    mutationFn: (id: number) =>
      apiRequest<void>({ method: 'DELETE', path: records + apiPath(id), locale }),
    onSuccess: (_nothing, id) => invalidateFormData(client, app, form, id),
  })

  return { save, remove }
}
