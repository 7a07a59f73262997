import type { FormDefinition } from './form.js'

/**
 * A form as published: the definition of one version with every field's SQL
 * column assigned, and the real table its records live in. Engines that read
 * records (queries, reports, imports) resolve identifiers only through this.
 */
export interface PublishedForm {
  app: string
  key: string
  version: number
  definition: FormDefinition
  table: { schema: string; name: string }
}

/** Looks up published forms of one app by key; the store implements it. */
export interface FormResolver {
  getForm(formKey: string): Promise<PublishedForm>
}

/** System columns every record table has, besides the fields' own. */
export const SYSTEM_COLUMNS = {
  id: 'id',
  version: '_version',
  createdAt: '_created_at',
  createdBy: '_created_by',
  updatedAt: '_updated_at',
  updatedBy: '_updated_by',
} as const
