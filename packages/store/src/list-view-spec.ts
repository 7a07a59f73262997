import { TesseraError, type PublishedForm } from '@tessera/core'
import { compileFilter } from './filter-sql.js'
import { sortKeys } from './list-cursor.js'
import { MAX_PAGE_SIZE } from './record-query.js'

/**
 * What a saved list view holds. Every part is optional: an absent part
 * leaves the list as it would be without the view.
 *
 * @example
 * { "filter": { "and": [{ "==": [{ "var": "state" }, "open"] }] },
 *   "sort": "-amount", "columns": ["code", "amount", "due"], "pageSize": 50 }
 */
export interface ListViewSpec {
  /** A json-logic rule, as the list's `filter` parameter takes it. */
  filter?: unknown
  /** As the list's `sort` parameter: "-amount,code". */
  sort?: string
  /** Field keys of the shown columns, in order. */
  columns?: string[]
  pageSize?: number
}

export const MAX_VIEW_NAME = 60
const SPEC_KEYS = new Set(['filter', 'sort', 'columns', 'pageSize'])

/** Checks a view's spec against the published form; throws naming the part. */
export function checkViewSpec(form: PublishedForm, raw: unknown): ListViewSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    invalid('spec', ['an object with filter, sort, columns and pageSize', '含 filter、sort、columns、pageSize 的对象'], raw)
  }
  const spec = raw as Record<string, unknown>
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.has(key)) invalid(`spec.${key}`, ['one of filter, sort, columns, pageSize', 'filter、sort、columns、pageSize 之一'], key)
  }
  const out: ListViewSpec = {}
  if (spec.filter !== undefined && spec.filter !== null) {
    compileFilter(form, spec.filter)
    out.filter = spec.filter
  }
  if (spec.sort !== undefined && spec.sort !== '') {
    if (typeof spec.sort !== 'string') invalid('spec.sort', ['a text such as "-amount"', '形如 "-amount" 的文本'], spec.sort)
    sortKeys(form, parseSortText(spec.sort))
    out.sort = spec.sort
  }
  if (spec.columns !== undefined) {
    const keys = new Set(form.definition.fields.map((f) => f.key))
    const ok = Array.isArray(spec.columns) && spec.columns.length <= 200 &&
      spec.columns.every((c) => typeof c === 'string')
    if (!ok) invalid('spec.columns', ['a list of field keys', '字段键的列表'], spec.columns)
    const unknown = (spec.columns as string[]).find((c) => !keys.has(c))
    if (unknown !== undefined) invalid('spec.columns', [`field keys of form "${form.key}"`, `表单「${form.key}」的字段键`], unknown)
    out.columns = [...new Set(spec.columns as string[])]
  }
  if (spec.pageSize !== undefined) {
    const n = spec.pageSize
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > MAX_PAGE_SIZE) {
      invalid('spec.pageSize', [`a whole number from 1 to ${MAX_PAGE_SIZE}`, `1 到 ${MAX_PAGE_SIZE} 之间的整数`], n)
    }
    out.pageSize = n as number
  }
  return out
}

/** A view's name: trimmed, 1 to MAX_VIEW_NAME characters. */
export function checkViewName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : ''
  if (!name || name.length > MAX_VIEW_NAME) {
    invalid('name', [`a name of 1 to ${MAX_VIEW_NAME} characters`, `1 到 ${MAX_VIEW_NAME} 个字符的名称`], raw)
  }
  return name
}

function parseSortText(text: string) {
  return text.split(',').filter(Boolean).map((part) => {
    const desc = part.startsWith('-')
    return { field: desc ? part.slice(1) : part, dir: desc ? 'desc' as const : 'asc' as const }
  })
}

function invalid(field: string, [expected, expectedZh]: [en: string, zh: string], received: unknown): never {
  const shown = String(JSON.stringify(received)).slice(0, 100)
  const en = `${field}: expected ${expected}, got ${shown}`
  throw new TesseraError('request.invalid', en, {
    details: { field, expected, received: shown },
    issues: [{ field, rule: 'invalid', message: `expected ${expected}` }],
    messages: { en, 'zh-CN': `${field}：应为${expectedZh}，收到 ${shown}` },
  })
}
