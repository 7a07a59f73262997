import { sql } from 'kysely'

import { type FormResolver, SYSTEM_ACTOR } from '@tessera/core'
import { Catalog, type Database } from '@tessera/store'
import type { DatabaseSuite } from '@tessera/store/testing'

import { APP, DEMO_FORMS } from './fixtures.js'

/** A fresh database with the demo forms published, and a raw row writer. */
export interface DemoDatabase {
  database: Database
  forms: FormResolver
  /** Inserts rows keyed by field key (or system column); returns their ids. */
  insert(formKey: string, rows: Array<Record<string, unknown>>): Promise<number[]>
  close(): Promise<void>
}

export async function openDemo(suite: DatabaseSuite): Promise<DemoDatabase> {
  const database = await suite.open()
  const catalog = new Catalog(database)
  await catalog.saveApp({ key: APP, label: { 'zh-CN': '报表测试', en: 'Report tests' } })
  for (const form of DEMO_FORMS) await catalog.saveDraft(APP, form)
  await catalog.publish(APP, DEMO_FORMS.map((form) => form.key), SYSTEM_ACTOR)
  const forms = catalog.resolver(APP)

  async function insert(formKey: string, rows: Array<Record<string, unknown>>): Promise<number[]> {
    const form = await forms.getForm(formKey)
    const ids: number[] = []
    for (const row of rows) {
      const names = Object.keys(row)
      const columns = names.map((name) => {
        if (name.startsWith('_')) return name
        const field = form.definition.fields.find((candidate) => candidate.key === name)
        if (!field?.column) throw new Error(`demo form ${formKey} has no field ${name}`)
        return field.column
      })
      const { rows: inserted } = await sql<{ id: number }>`
        insert into ${sql.id(form.table.schema, form.table.name)}
          (_created_by, _updated_by, ${sql.join(columns.map((column) => sql.id(column)))})
        values ('test', 'test', ${sql.join(names.map((name) => row[name]))})
        returning id`.execute(database.db)
      ids.push(Number(inserted[0].id))
    }
    return ids
  }

  return { database, forms, insert, close: () => database.close() }
}
