import type { FieldDefinition, FormDefinition, Locale } from '@tessera/core'
import { localize } from '@tessera/core'

export interface ResolvedSection {
  key: string
  title?: string
  /** Columns on a wide screen; a phone always gets one. */
  columns: 1 | 2 | 3
  fields: FieldDefinition[]
}

const DEFAULT_COLUMNS = 2

/**
 * The sections of a generated form. Fields that no section names follow in
 * a last section titled `otherTitle`; a form without ui.sections is one
 * untitled section of all its fields. Keys naming no field are skipped.
 */
export function resolveSections(
  definition: FormDefinition,
  locale: Locale,
  otherTitle: string,
): ResolvedSection[] {
  const byKey = new Map(definition.fields.map((field) => [field.key, field]))
  const declared = definition.ui?.sections ?? []
  if (declared.length === 0) {
    return [{ key: 'all', columns: DEFAULT_COLUMNS, fields: definition.fields }]
  }

  const placed = new Set<string>()
  const sections: ResolvedSection[] = declared.map((section, index) => {
    const fields = section.fields.flatMap((key) => {
      const field = byKey.get(key)
      if (!field || placed.has(key)) return []
      placed.add(key)
      return [field]
    })
    const title = section.title === undefined ? undefined : localize(section.title, locale)
    return { key: `section-${index}`, title, columns: section.columns ?? DEFAULT_COLUMNS, fields }
  })

  const rest = definition.fields.filter((field) => !placed.has(field.key))
  if (rest.length > 0) {
    sections.push({ key: 'other', title: otherTitle, columns: DEFAULT_COLUMNS, fields: rest })
  }
  return sections.filter((section) => section.fields.length > 0)
}
