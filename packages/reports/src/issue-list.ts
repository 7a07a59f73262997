import { type FieldIssue, type Locale, TesseraError } from '@tessera/core'

/** A message in both languages; the list keeps the requested one. */
export interface Bilingual {
  zh: string
  en: string
}

/**
 * Collects every problem found in one walk over a spec, so that an admin
 * sees them all at once. `field` is the path in the spec, such as
 * `dimensions[0].expr.var`.
 */
export class IssueList {
  readonly #issues: FieldIssue[] = []
  /** Each issue's message in both languages, so that the error reads right in either. */
  readonly #words: Bilingual[] = []
  readonly #locale: Locale

  constructor(locale: Locale) {
    this.#locale = locale
  }

  get size(): number {
    return this.#issues.length
  }

  get all(): FieldIssue[] {
    return [...this.#issues]
  }

  add(
    path: string,
    rule: string,
    message: Bilingual,
    extra: { expected?: unknown; received?: unknown } = {},
  ): void {
    const text = this.#locale === 'en' ? message.en : message.zh
    this.#issues.push({ field: path, rule, message: text, ...extra })
    this.#words.push(message)
  }

  /** Throws `report.invalid` listing every issue, when there is any. */
  throwIfAny(reportKey: unknown): void {
    if (this.#issues.length > 0) throw this.toError(reportKey)
  }

  /** A `report.invalid` error naming the first issue and carrying all. */
  toError(reportKey: unknown): TesseraError {
    const first = this.#issues[0]
    const more = this.#issues.length > 1 ? ` (+${this.#issues.length - 1} more)` : ''
    const where = first?.field ? ` at ${first.field}` : ''
    // A spec with no key of its own is named by none.
    const named = typeof reportKey === 'string' ? ` ${show(reportKey)}` : ''
    const words = this.#words[0]
    const en = `report${named} is invalid${where}: ${words?.en ?? 'unknown problem'}${more}`
    // The issues are worded in the list's language; the message in the reader's, whichever
    // language the report was checked in (a report compiled for one reader fails for another).
    const zh = `报表${named ? `${named} ` : ''}有误${first?.field ? `（${first.field}）` : ''}：` +
      `${words?.zh ?? '未知问题'}${this.#issues.length > 1 ? `（另有 ${this.#issues.length - 1} 处）` : ''}`
    return new TesseraError('report.invalid', en, {
      details: { report: reportKey },
      issues: this.all,
      messages: { 'zh-CN': zh, en },
    })
  }
}

/** `at(path, 'var')` → "path.var"; `at(path, 2)` → "path[2]". */
export function at(path: string, step: string | number): string {
  if (typeof step === 'number') return `${path}[${step}]`
  return path === '' ? step : `${path}.${step}`
}

/** A short, safe echo of a received value for messages. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
