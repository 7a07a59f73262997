import { type FieldDefinition, type Locale, localize } from '@tessera/core'
import { useQueries } from '@tanstack/react-query'
import { apiPath, apiRequest } from '../api/api-client.js'
import type { FormResponse } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import type { BuilderField } from './builder-spec.js'

const NUMBERS = new Set(['money', 'number', 'percent', 'integer'])
const DATES = new Set(['date', 'datetime'])
/**
 * Field types the builder offers: what a report reads as a value (see
 * packages/reports compile-var), less links (offered through their
 * fields) and multi-selects. Line items, attachments, people and
 * lookups have no value of their own to group or sum.
 */
const READABLE = new Set([
  'text', 'select', 'phone', 'email', 'bank_account', 'region', 'uscc', 'number', 'percent', 'money',
  'date', 'datetime', 'boolean', 'autonumber', 'formula', 'rollup',
])

/**
 * What a field holds, for the builder: computed fields by their result (a
 * formula's, a rollup's as published, a lookup's shown field), so that a
 * money formula is summed, not counted.
 */
export function fieldKind(field: FieldDefinition): BuilderField['kind'] {
  const type = valueType(field)
  if (NUMBERS.has(type)) return 'number'
  if (DATES.has(type)) return 'date'
  return 'text'
}

function valueType(field: FieldDefinition): string {
  switch (field.type) {
    case 'formula':
      return field.result
    case 'rollup':
      return field.result?.type ?? (field.agg === 'count' ? 'number' : 'text')
    case 'lookup':
      return field.target ? valueType(field.target) : 'text'
    case 'autonumber':
      return 'text'
    default:
      return field.type
  }
}

/**
 * The fields a widget can use from a form: its own, and one step through
 * each link ("customer.region", labelled "客户 · 区域").
 */
export function fieldPaths(
  form: FormResponse | undefined,
  linked: ReadonlyMap<string, FormResponse>,
  locale: Locale,
): BuilderField[] {
  if (!form) return []
  const own = form.definition.fields
    .filter((field) => READABLE.has(field.type))
    .map((field) => ({
      path: field.key,
      label: localize(field.label, locale),
      names: { 'zh-CN': localize(field.label, 'zh-CN'), en: localize(field.label, 'en') },
      kind: fieldKind(field),
      ...calendar(field),
      ...choices(field, locale),
    }))
  const through = form.definition.fields.flatMap((link) => {
    if (link.type !== 'link') return []
    const target = linked.get(link.form)
    if (!target) return []
    const prefix = localize(link.label, locale)
    return target.definition.fields
      .filter((field) => READABLE.has(field.type))
      .map((field) => ({
        path: `${link.key}.${field.key}`,
        label: `${prefix} · ${localize(field.label, locale)}`,
        names: {
          'zh-CN': `${localize(link.label, 'zh-CN')} · ${localize(field.label, 'zh-CN')}`,
          en: `${localize(link.label, 'en')} · ${localize(field.label, 'en')}`,
        },
        kind: fieldKind(field),
        ...calendar(field),
        ...choices(field, locale),
      }))
  })
  return [...own, ...through]
}

/** A calendar date (not a date-time): one a widget can hold against the dashboard's as-of date or period. */
function calendar(field: FieldDefinition): Pick<BuilderField, 'calendar'> {
  return valueType(field) === 'date' ? { calendar: true } : {}
}

function choices(field: FieldDefinition, locale: Locale): Pick<BuilderField, 'options'> {
  if (field.type !== 'select') return {}
  return { options: field.options.map((option) => ({ value: option.value, label: localize(option.label, locale) })) }
}

/** The definitions of the forms a form links to, loaded once each. */
export function useLinkedForms(app: string, form: FormResponse | undefined): Map<string, FormResponse> {
  const { locale } = useLocale()
  const targets = [...new Set((form?.definition.fields ?? []).flatMap((field) =>
    field.type === 'link' ? [field.form] : []))]
  const results = useQueries({
    queries: targets.map((target) => ({
      queryKey: [locale, 'form', app, target],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiRequest<FormResponse>({ path: apiPath('apps', app, 'forms', target), locale, signal }),
    })),
  })
  const loaded = new Map<string, FormResponse>()
  results.forEach((result, index) => {
    if (result.data) loaded.set(targets[index], result.data)
  })
  return loaded
}
