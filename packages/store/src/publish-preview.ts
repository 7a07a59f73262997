import { sql } from 'kysely'
import {
  isTesseraError,
  type TesseraError,
  type Actor,
  type FieldDefinition,
  type FormDefinition,
  type PublishedForm,
} from '@tessera/core'
import { checkFormDefinition, isComputed } from '@tessera/forms'
import { loadPublishedForm } from './catalog.js'
import type { Database, Executor, Trx } from './database.js'
import { publishForms } from './publish.js'
import { convertColumns } from './publish-convert.js'
import { resolveDerived } from './publish-derived.js'
import { changes as hasChanges, planVersion, typeChanges, type Plan } from './publish-plan.js'
import { publishChanges, type PublishChanges } from './publish-changes.js'
import { publishRefusal } from './publish-refusal.js'

/** Thrown to end a transaction that must leave nothing behind. */
class Rollback<T> {
  constructor(readonly value: T) {}
}

/** Runs `fn` in a transaction that is always rolled back, and returns its value. */
async function rolledBack<T>(database: Database, fn: (trx: Trx) => Promise<T>): Promise<T> {
  try {
    await database.transaction(async (trx) => {
      throw new Rollback(await fn(trx))
    })
  } catch (caught) {
    if (caught instanceof Rollback) return caught.value as T
    throw caught
  }
  throw new Error('unreachable: a rolled-back transaction returned')
}

/**
 * What publishing one form's draft would change, without changing
 * anything: the real publish runs inside a transaction that is rolled
 * back, and the summary compares the published definition with the one
 * that publish produced. When publishing is refused (a type change that
 * records block, a duplicate under a new unique index…) the summary is
 * computed from the publish plan instead, each type change is checked on
 * its own, and `problem` carries the error publishing gave.
 *
 * `draft`, when given, is previewed as if it had been saved as the draft.
 */
export async function previewPublish(
  database: Database,
  app: { key: string; dataSchema: string },
  formKey: string,
  actor: Actor,
  draft?: FormDefinition,
): Promise<PublishChanges> {
  type Attempt = { changes: PublishChanges } | { error: TesseraError; refused: unknown }
  const attempt = await rolledBack<Attempt>(database, async (trx) => {
    if (draft) await writeDraft(trx, app.key, draft)
    const previous = await loadPublishedForm(trx, app.key, formKey)
    try {
      const [next] = await publishForms(trx, app.key, app.dataSchema, [formKey], actor)
      const definition = next?.definition ?? previous!.definition
      const changes = publishChanges(previous?.definition, definition, next?.version ?? null)
      const empty = next && previous ? await emptyRequiredFields(trx, previous.definition, next) : []
      const held = next && previous ? await optionsStillHeld(trx, previous.definition, next) : []
      return { changes: {
        ...changes,
        ...(empty.length > 0 ? { emptyRequired: empty } : {}),
        ...(held.length > 0 ? { optionsInUse: held } : {}),
      } }
    } catch (caught) {
      const error = await publishRefusal(caught, previous, draft)
      if (!isTesseraError(error) || error.status >= 500) throw error
      return { error, refused: caught }
    }
  })
  if ('changes' in attempt) return attempt.changes

  // Worded again outside the failed transaction, with the records that block it.
  const previous = await loadPublishedForm(database.db, app.key, formKey)
  const error = (await publishRefusal(attempt.refused, previous, draft, database.db)) as TesseraError
  const problem = {
    code: error.code, message: error.message, messages: error.messages, details: error.details, issues: error.issues,
  }
  return rolledBack(database, async (trx) => {
    if (draft) await writeDraft(trx, app.key, draft)
    const planned = await planOnly(trx, app, formKey)
    if (!planned) return refusedOutright(formKey, problem)
    const { plan } = planned
    const version = hasChanges(plan) ? plan.next.version : null
    const changes = publishChanges(plan.previous?.definition, plan.next.definition, version)
    await checkRetypes(trx, plan, changes)
    changes.problem = problem
    return changes
  })
}

/** Stores the draft inside the preview's transaction (rolled back with it). */
async function writeDraft(trx: Trx, appKey: string, draft: FormDefinition): Promise<void> {
  await sql`
    insert into tessera.form (app_key, key, label, draft)
    values (${appKey}, ${draft.key}, ${JSON.stringify(draft.label)}, ${JSON.stringify(draft)})
    on conflict (app_key, key) do update set draft = excluded.draft, label = excluded.label
  `.execute(trx)
}

/** The first steps of publishForms for one form: check, plan, resolve derived fields. */
async function planOnly(
  trx: Trx,
  app: { key: string; dataSchema: string },
  formKey: string,
): Promise<{ plan: Plan } | undefined> {
  const { rows } = await sql<{ key: string; draft: FormDefinition; table_name: string | null }>`
    select key, draft, table_name from tessera.form where app_key = ${app.key}`.execute(trx)
  const row = rows.find((r) => r.key === formKey)
  if (!row) return undefined
  try {
    const definition = checkFormDefinition(row.draft, { forms: rows.map((r) => r.key) })
    const previous = await loadPublishedForm(trx, app.key, formKey)
    const plan = await planVersion(trx, app.key, app.dataSchema, row.table_name, definition, previous)
    const target = async (key: string): Promise<PublishedForm | undefined> =>
      key === formKey ? plan.next : loadPublishedForm(trx, app.key, key)
    await resolveDerived([plan], target)
    plan.retyped = typeChanges(plan)
    return { plan }
  } catch (error) {
    if (isTesseraError(error) && error.status < 500) return undefined
    throw error
  }
}

/**
 * Checks each type change on its own with the code publishing uses, so
 * that the summary names every blocked field and its records, not only
 * the first one publishing stopped at.
 */
async function checkRetypes(trx: Trx, plan: Plan, changes: PublishChanges): Promise<void> {
  for (const retype of plan.retyped) {
    // A line field's retype names its child table as the form "form.lines".
    const prefix = retype.form.key === plan.next.key ? '' : retype.form.key.slice(plan.next.key.length + 1) + '.'
    const entry = changes.retyped.find((one) => one.path === prefix + retype.field.key)
    if (!entry || entry.status === 'recomputed') continue
    try {
      await convertColumns(trx, [retype])
    } catch (error) {
      if (!isTesseraError(error) || error.status >= 500) throw error
      const blocking = error.details.blocking as number[] | undefined
      entry.status = blocking ? 'blocked' : 'unsupported'
      entry.message = error.message
      if (blocking && prefix) {
        // A line field's blocking rows, named by the records they belong to.
        const table = sql.table(`${retype.form.table.schema}.${retype.form.table.name}`)
        const { rows } = await sql<{ parent_id: number }>`
          select distinct parent_id from ${table} where id in (${sql.join(blocking)}) order by parent_id`.execute(trx)
        entry.blocking = rows.map((row) => Number(row.parent_id))
        entry.count = error.details.count as number
      } else if (blocking) {
        entry.blocking = blocking
        entry.count = error.details.count as number
      }
    }
  }
}

function refusedOutright(formKey: string, problem: PublishChanges['problem']): PublishChanges {
  return {
    form: formKey, isNew: false, changed: false, version: null,
    added: [], renamed: [], retired: [], retyped: [], linesAdded: [], edited: [],
    layoutChanged: false, settings: [], problem,
  }
}

/** Fields required from the next version on that stored records leave empty (see PublishChanges). */
export async function emptyRequiredFields(trx: Executor, previous: FormDefinition, next: PublishedForm) {
  const table = sql.table(`${next.table.schema}.${next.table.name}`)
  const found: NonNullable<PublishChanges['emptyRequired']> = []
  for (const field of next.definition.fields) {
    if (field.required !== true || !field.column || isComputed(field) || field.type === 'lines') continue
    const before = previous.fields.find((old) => 'column' in old && old.column === field.column)
    if (before?.required === true) continue
    const column = sql.ref(field.column)
    // Empty as the required rule reads it: no value, blank text, an empty list.
    const list = field.type === 'multiselect' || ((field.type === 'member' || field.type === 'department') && field.multiple)
    const blank = field.type === 'text' ? sql`or btrim(${column}::text) = ''`
      : list ? sql`or cardinality(${column}) = 0`
        : field.type === 'attachment' ? sql`or jsonb_array_length(${column}) = 0` : sql``
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${table} where ${column} is null ${blank}`.execute(trx)
    if (rows[0].n > 0) {
      found.push({ path: field.key, key: field.key, label: field.label, type: field.type, column: field.column, count: rows[0].n })
    }
  }
  return found
}

/**
 * Options taken out of a select or multiselect field (or a line item's)
 * that stored records still hold, with how many records: such a record
 * shows the bare code and cannot be saved again until it is changed.
 */
export async function optionsStillHeld(trx: Executor, previous: FormDefinition, next: PublishedForm) {
  const found: NonNullable<PublishChanges['optionsInUse']> = []
  const gone = (field: FieldDefinition, before: FieldDefinition[] | undefined) => {
    if ((field.type !== 'select' && field.type !== 'multiselect') || !field.column) return []
    const old = before?.find((one) => 'column' in one && one.column === field.column)
    if (!old || (old.type !== 'select' && old.type !== 'multiselect')) return []
    const kept = new Set(field.options.map((option) => option.value))
    return old.options.map((option) => option.value).filter((value) => !kept.has(value))
  }
  const held = (field: FieldDefinition, column: ReturnType<typeof sql.ref>, removed: string[]) =>
    field.type === 'multiselect' ? sql`${column} && ${removed}::text[]` : sql`${column} = any(${removed}::text[])`
  const table = sql.table(`${next.table.schema}.${next.table.name}`)
  for (const field of next.definition.fields) {
    if (field.type === 'lines') {
      const before = previous.fields.find((old) => old.type === 'lines' && old.table === field.table)
      for (const inner of field.fields) {
        const removed = gone(inner, before?.type === 'lines' ? before.fields : undefined)
        if (removed.length === 0) continue
        const lines = sql.table(`${next.table.schema}.${field.table}`)
        const { rows } = await sql<{ n: number }>`select count(distinct parent_id)::int as n from ${lines}
          where ${held(inner, sql.ref(inner.column!), removed)}`.execute(trx)
        if (rows[0].n > 0) {
          found.push({ path: `${field.key}.${inner.key}`, key: inner.key, label: inner.label, type: inner.type,
            column: inner.column, options: removed, count: rows[0].n })
        }
      }
      continue
    }
    const removed = gone(field, previous.fields)
    if (removed.length === 0) continue
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${table}
      where ${held(field, sql.ref(field.column!), removed)}`.execute(trx)
    if (rows[0].n > 0) {
      found.push({ path: field.key, key: field.key, label: field.label, type: field.type, column: field.column,
        options: removed, count: rows[0].n })
    }
  }
  return found
}
