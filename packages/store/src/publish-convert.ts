import { sql, type RawBuilder } from 'kysely'
import {
  TesseraError,
  type FieldDefinition,
  type PublishedForm,
} from '@tessera/core'
import { isComputed, storedAs } from '@tessera/forms'
import type { Trx } from './database.js'
import { dropForeignKey, sqlType } from './ddl.js'

/** A kept column whose SQL type the next version changes. */
export interface Retype {
  /** The form (or a lines field's child table, seen as a form) the column is in. */
  form: PublishedForm
  old: FieldDefinition
  field: FieldDefinition
  from: string
  to: string
}

interface Conversion {
  /** True for a stored value that cannot become the new type without loss. */
  blocking?: (value: RawBuilder<unknown>) => RawBuilder<boolean>
  /** The new value from the old one. */
  using: (value: RawBuilder<unknown>) => RawBuilder<unknown>
}

const DECIMAL = '^-?[0-9]+(\\.[0-9]+)?$'
const WHOLE = '^-?[0-9]{1,18}$'
const ISO_DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
const YES_NO = ['true', 'false', 't', 'f', '1', '0', 'yes', 'no']

/** How many blocking record ids an error names. */
const SHOWN_IDS = 20

/**
 * What a column of type `from` becomes as type `to`, if that is supported:
 * anything to text; text to numbers, dates, yes/no or a list when every
 * value reads as one; whole and decimal numbers into each other and into
 * money of another scale when no value loses digits. Anything else (dates
 * to moments, a link to another form…) is refused.
 */
export function conversionOf(from: string, to: string): Conversion | undefined {
  if (to === 'text') return { using: (v) => (from.endsWith('[]') ? sql`array_to_string(${v}, ', ')` : textOf(from, v)) }
  if (from === 'text') return fromText(to)
  // One member or department becoming a list of them.
  if (to === `${from}[]`) return { using: (v) => sql`case when ${v} is null then null else array[${v}] end` }
  if (isNumeric(from) && isNumeric(to)) return betweenNumbers(from, to)
  return undefined
}

function textOf(from: string, value: RawBuilder<unknown>): RawBuilder<unknown> {
  if (from === 'timestamptz') return sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  return sql`${value}::text`
}

function fromText(to: string): Conversion | undefined {
  const trimmed = (v: RawBuilder<unknown>) => sql`trim(${v})`
  if (to === 'bigint') {
    return { blocking: (v) => sql<boolean>`${trimmed(v)} !~ ${WHOLE}`, using: (v) => sql`${trimmed(v)}::bigint` }
  }
  if (isNumeric(to)) {
    const scale = scaleOf(to)
    return {
      blocking: (v) => sql<boolean>`case when ${trimmed(v)} ~ ${DECIMAL}
        then ${lossy(sql`${trimmed(v)}::numeric`, scale)} else true end`,
      using: (v) => sql`${trimmed(v)}::${sql.raw(to)}`,
    }
  }
  if (to === 'date') return { blocking: (v) => notCalendarDate(trimmed(v)), using: (v) => sql`${trimmed(v)}::date` }
  if (to === 'boolean') {
    return {
      blocking: (v) => sql<boolean>`lower(${trimmed(v)}) not in (${sql.join(YES_NO)})`,
      using: (v) => sql`lower(${trimmed(v)}) in ('true', 't', '1', 'yes')`,
    }
  }
  if (to === 'text[]') return { using: (v) => sql`case when ${v} is null then null else array[${v}] end` }
  return undefined
}

/**
 * True unless the text is a real "YYYY-MM-DD" date. Every step is its own
 * CASE branch, so no cast runs on text an earlier branch refused (casting
 * "2025-02-30" would fail the whole query instead of naming the record).
 */
function notCalendarDate(text: RawBuilder<unknown>): RawBuilder<boolean> {
  const part = (from: number, length: number) => sql`substr(${text}, ${from}, ${length})::int`
  const lastDay = sql`extract(day from make_date(${part(1, 4)}, ${part(6, 2)}, 1)
    + interval '1 month' - interval '1 day')`
  return sql<boolean>`case
    when ${text} !~ ${ISO_DATE} then true
    when ${part(1, 4)} < 1 or ${part(6, 2)} not between 1 and 12 then true
    when ${part(9, 2)} < 1 then true
    else ${part(9, 2)} > ${lastDay} end`
}

function betweenNumbers(from: string, to: string): Conversion {
  const scale = to === 'bigint' ? 0 : scaleOf(to)
  return {
    blocking: from === 'bigint' && scale === undefined ? undefined : (v) => lossy(sql`${v}::numeric`, scale),
    using: (v) => sql`${v}::${sql.raw(to)}`,
  }
}

/** True when a number has more digits after the point than `scale`, or too many before it. */
function lossy(value: RawBuilder<unknown>, scale: number | undefined): RawBuilder<boolean> {
  if (scale === undefined) return sql<boolean>`false`
  // money is numeric(20, scale); a whole number must fit a bigint.
  const limit = scale === 0 ? '1e18' : `1e${20 - scale}`
  return sql<boolean>`(${value} <> round(${value}, ${scale}) or abs(${value}) >= ${sql.raw(limit)})`
}

function isNumeric(type: string): boolean {
  return type === 'bigint' || type.startsWith('numeric')
}

/** numeric(20, 2) → 2; bigint → 0; a bare numeric → undefined (any scale). */
function scaleOf(type: string): number | undefined {
  if (type === 'bigint') return 0
  const match = /^numeric\(\d+,\s*(\d+)\)$/.exec(type)
  return match ? Number(match[1]) : undefined
}

/**
 * Changes the columns' types, after checking that no stored value would
 * be lost: a refused change names the field, the types and up to twenty
 * records holding values that do not convert. Computed fields (formulas,
 * rollups) are emptied instead and computed again after publishing.
 */
export async function convertColumns(trx: Trx, retypes: readonly Retype[]): Promise<void> {
  for (const retype of retypes) {
    const { form, field, from, to } = retype
    const column = sql.ref(field.column!)
    const table = sql.table(`${form.table.schema}.${form.table.name}`)
    if (isComputed(field)) {
      await sql`alter table ${table} alter column ${column} type ${sql.raw(to)} using null`.execute(trx)
      continue
    }

    const conversion = conversionOf(from, to)
    if (!conversion) throw refused(retype, `converting ${from} to ${to} is not supported; add a new field instead`)
    // A foreign key (a link, one member) cannot survive a change of type.
    if (from === 'bigint') await dropForeignKey(trx, form, field.column!)
    if (conversion.blocking) {
      const { rows } = await sql<{ id: number; total: number }>`
        select id, count(*) over ()::int as total from ${table}
        where ${column} is not null and ${conversion.blocking(column)}
        order by id limit ${SHOWN_IDS}`.execute(trx)
      if (rows.length > 0) {
        const ids = rows.map((row) => row.id)
        const problem = `${rows[0].total} record(s) hold values that do not convert without loss ` +
          `(ids ${ids.join(', ')}${rows[0].total > ids.length ? ', …' : ''}); change or clear them first`
        throw refused(retype, problem, { blocking: ids, count: rows[0].total })
      }
    }
    await sql`alter table ${table} alter column ${column} type ${sql.raw(to)}
      using ${conversion.using(column)}`.execute(trx)
  }
}

/** The stored SQL type of a field. */
export function storedType(field: FieldDefinition): string {
  return sqlType(storedAs(field))
}

function refused(retype: Retype, problem: string, extra: Record<string, unknown> = {}): TesseraError {
  const { form, field, old, from, to } = retype
  return new TesseraError(
    'metadata.invalid',
    `field "${field.key}" of form "${form.key}" cannot change from ${old.type} (${from}) to ${field.type} (${to}): ${problem}`,
    { details: { form: form.key, field: field.key, from: old.type, to: field.type, ...extra } },
  )
}
