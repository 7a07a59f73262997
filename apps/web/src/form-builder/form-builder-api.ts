import type { FieldIssue, FormDefinition, Locale, LocalizedText } from '@tessera/core'
import { useQuery } from '@tanstack/react-query'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'

/** GET /api/apps/:app/form-designs */
export interface FormDesignSummary {
  key: string
  label: LocalizedText
  publishedVersion: number | null
  unpublishedChanges: boolean
  updatedAt: string
}

/** GET /api/apps/:app/form-designs/:form */
export interface FormDesign {
  key: string
  definition: FormDefinition
  publishedVersion: number | null
  unpublishedChanges: boolean
}

export interface ChangedField {
  path: string
  key: string
  label: LocalizedText
  type: string
  column?: string
}

/** POST …/preview: what publishing would change (see docs/form-builder.md). */
export interface PublishChanges {
  form: string
  isNew: boolean
  changed: boolean
  version: number | null
  formLabel?: { from: LocalizedText; to: LocalizedText }
  added: ChangedField[]
  renamed: (ChangedField & { from: string })[]
  retired: ChangedField[]
  retyped: (ChangedField & {
    from: string
    status: 'converts' | 'recomputed' | 'blocked' | 'unsupported'
    blocking?: number[]
    count?: number
    message?: string
  })[]
  linesAdded: ChangedField[]
  edited: (ChangedField & { changes: string[] })[]
  layoutChanged: boolean
  /** Form-level settings that change. */
  settings?: ('description' | 'titleField' | 'periodField' | 'uniques' | 'rules' | 'constraints' | 'agreements' | 'list' | 'picker')[]
  /** Fields required from this version on that stored records leave empty, with how many. */
  emptyRequired?: (ChangedField & { count: number })[]
  /** Options taken out that stored records still hold, with the codes and how many records. */
  optionsInUse?: (ChangedField & { options: string[]; count: number })[]
  /** Reports that check today and would not with this version, with the dashboards showing each. */
  reportsBroken?: Array<{
    report: string
    label: LocalizedText
    messages: Record<Locale, string>
    dashboards: Array<{ key: string; label: LocalizedText }>
  }>
  /** Roles whose rules on this form name fields this version no longer has. */
  rolesNaming?: Array<{ role: string; label: LocalizedText; fields: string[] }>
  problem?: { code: string; message: string; messages?: Partial<Record<Locale, string>>; issues?: FieldIssue[] }
}

const designsKey = (locale: Locale, app: string) => [locale, 'form-designs', app] as const

export function useFormDesigns(app: string) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: designsKey(locale, app),
    queryFn: ({ signal }) =>
      apiRequest<FormDesignSummary[]>({ path: apiPath('apps', app, 'form-designs'), locale, signal }),
  })
}

export function useFormDesign(app: string, form: string) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [...designsKey(locale, app), form],
    queryFn: ({ signal }) =>
      apiRequest<FormDesign>({ path: apiPath('apps', app, 'form-designs', form), locale, signal }),
    // The builder edits its own copy; a refetch would overwrite the edits.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  })
}

export function createDesign(app: string, definition: FormDefinition, locale: Locale) {
  return apiRequest<FormDesign>({
    method: 'POST', path: apiPath('apps', app, 'form-designs'), body: definition, locale,
  })
}

export function saveDesign(app: string, definition: FormDefinition, locale: Locale) {
  return apiRequest<FormDesign>({
    method: 'PUT', path: apiPath('apps', app, 'form-designs', definition.key), body: definition, locale,
  })
}

export function previewPublish(app: string, form: string, locale: Locale) {
  return apiRequest<PublishChanges>({
    method: 'POST', path: apiPath('apps', app, 'form-designs', form, 'preview'), body: {}, locale,
  })
}

export function publishDesign(app: string, form: string, locale: Locale) {
  return apiRequest<{ form: string; version: number; changes: PublishChanges }>({
    method: 'POST', path: apiPath('apps', app, 'form-designs', form, 'publish'), locale,
  })
}

/** A published form's definition (as the admin sees it), for lookups and rollups; nothing when no key. */
export function usePublishedDefinition(app: string, form: string | undefined) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'form', app, form],
    queryFn: ({ signal }) =>
      apiRequest<{ definition: FormDefinition }>({ path: apiPath('apps', app, 'forms', form ?? ''), locale, signal }),
    enabled: Boolean(form),
    retry: false,
  })
}
