import type { LocalizedText } from './localized.js'

/** The kinds of metadata besides forms; each is a JSON document with a key. */
export type MetaKind = 'report' | 'dashboard' | 'import' | 'role'

/** An app: a named set of forms, reports, dashboards and import mappings. */
export interface AppDefinition {
  key: string
  label: LocalizedText
  description?: LocalizedText
  version?: string
}
