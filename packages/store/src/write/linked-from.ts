import { sql, type RawBuilder } from 'kysely'
import {
  TesseraError,
  localize,
  type Actor,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import type { WriteGuard } from '../access/write-guard.js'
import type { Catalog } from '../catalog.js'
import type { Executor } from '../database.js'

/** Records of one form that link to a record, as many as the reader may read. */
export interface LinkingForm {
  form: string
  label: PublishedForm['definition']['label']
  count: number
}

/**
 * Which records still link to record `id` of `form`, for a refused delete
 * to name: each form with a link field (or a line item's) pointing at it,
 * and how many of its records do, counting only the records the actor may
 * read through fields not hidden from them. `others` is true when more
 * records link to it than those (rows or forms out of their reach): the
 * message then says so without naming or counting them.
 */
export async function linkingRecords(
  db: Executor,
  catalog: Catalog,
  guard: WriteGuard | undefined,
  actor: Actor,
  form: PublishedForm,
  id: number,
): Promise<{ forms: LinkingForm[]; others: boolean }> {
  const forms: LinkingForm[] = []
  let others = false
  for (const other of await catalog.publishedForms(form.app, db)) {
    const hidden = guard?.readScope(actor, other).hidden ?? new Set<string>()
    const seen: RawBuilder<boolean>[] = []
    const unseen: RawBuilder<boolean>[] = []
    for (const field of other.definition.fields) {
      if (field.type === 'link' && field.form === form.key) {
        ;(hidden.has(field.key) ? unseen : seen).push(sql<boolean>`t.${sql.id(field.column!)} = ${id}`)
      }
      if (field.type !== 'lines') continue
      for (const inner of field.fields) {
        if (inner.type !== 'link' || inner.form !== form.key) continue
        const lines = sql.table(`${other.table.schema}.${field.table!}`)
        const linked = sql<boolean>`exists (select 1 from ${lines} as l where l.parent_id = t.id and l.${sql.id(inner.column!)} = ${id})`
        ;(hidden.has(field.key) ? unseen : seen).push(linked)
      }
    }
    if (seen.length + unseen.length === 0) continue
    const table = sql.table(`${other.table.schema}.${other.table.name}`)
    const any = (conditions: RawBuilder<boolean>[]) => sql<boolean>`${sql.join(conditions, sql` or `)}`
    const count = async (where: RawBuilder<boolean>) => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${table} as t where ${where}`.execute(db)
      return rows[0]?.n ?? 0
    }
    const all = await count(any([...seen, ...unseen]))
    if (all === 0) continue
    const readable = seen.length > 0 && (guard === undefined || guard.mayRead(actor, other))
    const allowed = readable ? guard?.listCondition(actor, other, 'read') : undefined
    const shown = !readable ? 0
      : allowed === undefined ? await count(any(seen)) : await count(sql<boolean>`(${any(seen)}) and ${allowed}`)
    if (shown > 0) forms.push({ form: other.key, label: other.definition.label, count: shown })
    if (shown < all) others = true
  }
  return { forms, others }
}

/**
 * The refusal of deleting a record others still link to, naming the forms
 * and counts the deleter may read (该「客户」记录仍被 3 条「发票（应收）」、
 * 1 条「合同」引用), and saying that others link to it too without naming them.
 */
export function stillLinked(
  form: PublishedForm,
  linking: { forms: LinkingForm[]; others: boolean },
  locale: Locale,
  cause: unknown,
): TesseraError {
  const own = localize(form.definition.label, locale)
  const { forms } = linking
  // Gone meanwhile (unlinked since the refusal): said as other records.
  const others = linking.others || forms.length === 0
  let message: string
  if (locale === 'en') {
    const named = forms.map((one) => `${one.count} ${localize(one.label, 'en')} record${one.count === 1 ? '' : 's'}`)
    if (others) named.push(named.length === 0 ? 'other records' : 'records you may not read')
    message = `this ${own} record is still linked from ${joinEnglish(named)}; remove those links first`
  } else {
    const named = forms.map((one) => `${one.count} 条「${localize(one.label, 'zh-CN')}」`)
    const also = others ? (named.length === 0 ? '其他记录' : '另有您无权查看的记录') : ''
    message = named.length === 0
      ? `该${own}记录仍被${also}引用，请先解除引用`
      : `该${own}记录仍被 ${named.join('、')}记录引用${also ? `，${also}` : ''}，请先解除引用`
  }
  return new TesseraError('conflict.reference', message, {
    cause,
    details: { form: form.key, linkedFrom: forms.map((one) => ({ form: one.form, count: one.count })) },
  })
}

function joinEnglish(parts: string[]): string {
  if (parts.length <= 1) return parts.join('')
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}
