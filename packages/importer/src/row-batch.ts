import { sql } from 'kysely'
import {
  isTesseraError,
  type Actor,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { evaluate } from '@tessera/logic'
import type { Catalog, RecordService, Trx } from '@tessera/store'
import { asLookup, type ImportMapping, type RecordSpec } from './mapping.js'
import type { ImportError } from './run-import.js'
import { keyOf, upsertRows, type FormCounts } from './upsert-rows.js'

interface PendingRow {
  line: number
  row: Record<string, unknown>
  ref: Record<string, number>
  failed: boolean
}

interface Built {
  pending: PendingRow
  values: Record<string, unknown>
}

/**
 * One batch of parsed rows on their way into the database. For each record
 * of the mapping in turn, it builds every row's values, resolves lookups with
 * one query per lookup, validates them with the form's own rules and upserts
 * them in one statement. A row that fails at any step is reported and skips
 * its later records; the caller rolls the whole import back.
 */
export class RowBatch {
  readonly #rows: PendingRow[] = []
  readonly #forms = new Map<string, PublishedForm>()

  constructor(
    private readonly context: { catalog: Catalog; records: RecordService },
    private readonly appKey: string,
    private readonly mapping: ImportMapping,
    private readonly actor: Actor,
    private readonly locale: Locale,
  ) {}

  get size(): number {
    return this.#rows.length
  }

  add(line: number, row: Record<string, unknown>): void {
    this.#rows.push({ line, row, ref: {}, failed: false })
  }

  clear(): void {
    this.#rows.length = 0
  }

  async process(
    trx: Trx,
    counts: Record<string, FormCounts>,
    report: (error: ImportError) => void,
  ): Promise<void> {
    for (const spec of this.mapping.records) {
      const form = await this.#form(spec.form)
      const built = this.#build(spec, report)
      await this.#resolveLookups(trx, spec, built, report)
      const valid = built.filter((b) => this.#validate(form, spec, b, report))
      if (valid.length === 0) continue
      const merged = mergeByKey(spec.key, valid)
      const formCounts = (counts[spec.form] ??= { created: 0, updated: 0, unchanged: 0 })
      const ids = await upsertRows(trx, this.actor, form, spec.key, merged.map((m) => ({ values: m.values })), formCounts)
      merged.forEach((m, i) => m.rows.forEach((b) => (b.pending.ref[spec.as] = ids[i])))
    }
  }

  async #form(key: string): Promise<PublishedForm> {
    let form = this.#forms.get(key)
    if (!form) {
      form = await this.context.catalog.getForm(this.appKey, key)
      this.#forms.set(key, form)
    }
    return form
  }

  #build(spec: RecordSpec, report: (error: ImportError) => void): Built[] {
    const built: Built[] = []
    for (const pending of this.#rows) {
      if (pending.failed) continue
      const data = { row: pending.row, ref: pending.ref }
      try {
        if (spec.when !== undefined && !evaluate(spec.when, data)) continue
        const values: Record<string, unknown> = {}
        for (const [field, expr] of Object.entries(spec.values)) {
          const lookup = asLookup(expr)
          values[field] = evaluate(lookup ? lookup.expr : expr, data)
        }
        built.push({ pending, values })
      } catch (error) {
        this.#fail(pending, report, spec.as, undefined, messageOf(error))
      }
    }
    return built
  }

  async #resolveLookups(trx: Trx, spec: RecordSpec, built: Built[], report: (e: ImportError) => void) {
    for (const [field, expr] of Object.entries(spec.values)) {
      const lookup = asLookup(expr)
      if (!lookup) continue
      const target = await this.#form(lookup.form)
      const column = target.definition.fields.find((f) => f.key === lookup.field)?.column
      const wanted = [...new Set(built.map((b) => b.values[field]).filter((v) => v !== null && v !== undefined))]
      const ids = new Map<string, number>()
      if (column && wanted.length > 0) {
        const table = sql.table(`${target.table.schema}.${target.table.name}`)
        const { rows } = await sql<{ id: number; v: string }>`
          select id, ${sql.ref(column)}::text as v from ${table}
          where ${sql.ref(column)}::text in (${sql.join(wanted.map(String))})`.execute(trx)
        for (const r of rows) ids.set(r.v, r.id)
      }
      for (const b of built) {
        const value = b.values[field]
        if (value === null || value === undefined) continue
        const id = ids.get(String(value))
        if (id === undefined) {
          this.#fail(b.pending, report, `${spec.as}.${field}`, value, `no ${lookup.form} has ${lookup.field} = ${JSON.stringify(value)}`)
        }
        b.values[field] = id ?? null
      }
    }
  }

  #validate(form: PublishedForm, spec: RecordSpec, built: Built, report: (e: ImportError) => void): boolean {
    if (built.pending.failed) return false
    try {
      built.values = this.context.records.check(form, built.values, this.locale)
      return true
    } catch (error) {
      if (isTesseraError(error) && error.issues.length > 0) {
        for (const issue of error.issues) {
          const value = issue.field ? built.values[issue.field] : undefined
          this.#fail(built.pending, report, `${spec.as}.${issue.field ?? ''}`, value, issue.message)
        }
        return false
      }
      throw error
    }
  }

  #fail(pending: PendingRow, report: (e: ImportError) => void, column: string, value: unknown, message: string) {
    pending.failed = true
    report({ line: pending.line, column, value, message })
  }
}

/** Rows that upsert the same record must go into one statement as one row. */
function mergeByKey(keys: string[], built: Built[]) {
  const groups = new Map<string, { values: Record<string, unknown>; rows: Built[] }>()
  for (const b of built) {
    const key = keyOf(keys, b.values)
    const group = groups.get(key)
    if (group) {
      Object.assign(group.values, b.values)
      group.rows.push(b)
    } else {
      groups.set(key, { values: { ...b.values }, rows: [b] })
    }
  }
  return [...groups.values()]
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
