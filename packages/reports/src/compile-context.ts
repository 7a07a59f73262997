import {
  type FormResolver,
  type Locale,
  type PublishedForm,
  isTesseraError,
} from '@tessera/core'

import type { IssueList } from './issue-list.js'
import type { RowSource } from './report-options.js'
import type { RollupTable } from './rollup-table.js'
import type { ReportParamSpec } from './spec.js'
import type { Typed } from './value-type.js'

/** A declared param with the value it has in this compilation. */
export interface BoundParam {
  spec: ReportParamSpec
  value: unknown
}

/** What every step of one compilation shares. */
export interface CompileContext {
  issues: IssueList
  forms: FormCache
  params: ReadonlyMap<string, BoundParam>
  lets: LetTable
  /** The company time zone: timestamps become calendar dates in it. */
  timeZone: string
  /** The language a text given in both (`{ "zh-CN", "en" }`) is read in. */
  locale: Locale
  /** The FROM item of a form's rows (see ReportOptions.source). */
  source: RowSource
  /** The rolled-up sources, shared by every scope of the statement. */
  rollups: RollupTable
  /**
   * For the previous period of a comparison: how far its dates move forward
   * before a date grain buckets them, so that its months stand beside this
   * period's months (see compile-report.ts).
   */
  dateShift?: DateShift
  nextAlias(prefix: 't' | 'r'): string
}

/**
 * The `let` expressions of a spec, compiled at most once each. `stack`
 * holds the lets being compiled, innermost last, to name a cycle.
 */
export interface LetTable {
  raw: Record<string, unknown>
  compiled: Map<string, Typed>
  stack: string[]
}

/** Loads each published form once per compilation. */
export class FormCache {
  readonly #resolver: FormResolver
  readonly #forms = new Map<string, PublishedForm | null>()

  constructor(resolver: FormResolver) {
    this.#resolver = resolver
  }

  /** The published form, or undefined when the app has no such form. */
  async find(key: string): Promise<PublishedForm | undefined> {
    const known = this.#forms.get(key)
    if (known !== undefined) return known ?? undefined

    try {
      const form = await this.#resolver.getForm(key)
      this.#forms.set(key, form)
      return form
    } catch (error) {
      if (!isTesseraError(error) || error.code !== 'not_found') throw error
      this.#forms.set(key, null)
      return undefined
    }
  }
}

export function createAliasCounter(): (prefix: 't' | 'r') => string {
  let next = 0
  return (prefix) => {
    next += 1
    return `${prefix}${next}`
  }
}

/** Whole months when the periods are whole months, else days. */
export interface DateShift {
  months: number
  days: number
}
