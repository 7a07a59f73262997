import type { FormDefinition, Locale, LookupField, RecordData } from '@tessera/core'
import { apiPath, apiRequest } from '../api/api-client.js'

/** The lookup fields of a form, by the link field each reads through. */
export function lookupsByLink(definition: FormDefinition): Map<string, LookupField[]> {
  const byLink = new Map<string, LookupField[]>()
  for (const field of definition.fields) {
    if (field.type !== 'lookup') continue
    byLink.set(field.link, [...(byLink.get(field.link) ?? []), field])
  }
  return byLink
}

/**
 * The values the lookups through one link show for the record it now
 * points at (as the server stores them: money as exact text), or empty
 * values when it points at none. A write-off's 发票金额 fills in as soon as
 * its invoice is picked, not only once saved.
 * Undefined when the linked record cannot be read (not the reader's, or
 * gone): the fields keep what they show.
 */
export async function readLookups(
  app: string,
  definition: FormDefinition,
  link: string,
  id: unknown,
  locale: Locale,
): Promise<Record<string, unknown> | undefined> {
  const lookups = lookupsByLink(definition).get(link) ?? []
  const linkField = definition.fields.find((field) => field.key === link)
  if (lookups.length === 0 || linkField?.type !== 'link') return undefined
  if (id === null || id === undefined || id === '') return Object.fromEntries(lookups.map((field) => [field.key, null]))
  if (!Number.isSafeInteger(Number(id))) return undefined
  try {
    const linked = await apiRequest<RecordData>({ path: apiPath('apps', app, 'forms', linkField.form, 'records', Number(id)), locale })
    return Object.fromEntries(lookups.map((field) => [field.key, linked.values[field.field] ?? null]))
  } catch {
    return undefined
  }
}
