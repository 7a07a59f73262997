import type { FormImportSpec } from './form-import-spec.js'

type Values = Record<string, unknown>

/** A record gathered from consecutive rows, with the file line of each of its lines. */
export interface GroupedRow {
  line: number
  row: Values
  /** Per lines field, the file line each line item came from. */
  lineNumbers: Record<string, number[]>
}

/**
 * Gathers the rows of a file whose columns fill line items into records:
 * consecutive rows with the same key are one record, each row adding one
 * line to every lines field it fills. The record's own values come from
 * its first row; a later row of the same record that gives one of them
 * differently is a problem (`conflict`), not a silent choice.
 */
export class LineGroups {
  readonly #key: string[]
  readonly #linesKeys: string[]
  #current: (GroupedRow & { key: string }) | undefined

  constructor(spec: FormImportSpec) {
    this.#key = spec.key ?? []
    const targets = Object.values(spec.columns).filter((target) => target.includes('.'))
    this.#linesKeys = [...new Set(targets.map((target) => target.split('.')[0]))]
  }

  /** True when the spec fills any line item. */
  get active(): boolean {
    return this.#linesKeys.length > 0
  }

  /**
   * Takes one parsed row (line targets as "items.product"); returns the
   * record the row closed, if any. `conflict` is told of each own value
   * that differs from the record's first row.
   */
  push(line: number, parsed: Values, conflict: (target: string, firstLine: number) => void): GroupedRow | undefined {
    const own: Values = {}
    const items: Record<string, Values> = {}
    for (const [target, value] of Object.entries(parsed)) {
      const [field, sub] = target.split('.')
      if (sub === undefined) own[field] = value
      else if (value !== null && value !== undefined) (items[field] ??= {})[sub] = value
    }

    const key = JSON.stringify(this.#key.map((field) => own[field] ?? null))
    const current = this.#current
    let closed: GroupedRow | undefined
    if (current && current.key === key) {
      for (const [field, value] of Object.entries(own)) {
        if (value === null || value === undefined) continue
        if (JSON.stringify(value) !== JSON.stringify(current.row[field] ?? null)) conflict(field, current.line)
      }
    } else {
      closed = this.finish()
      const row: Values = { ...own }
      const lineNumbers: Record<string, number[]> = {}
      for (const field of this.#linesKeys) {
        row[field] = []
        lineNumbers[field] = []
      }
      this.#current = { key, line, row, lineNumbers }
    }

    const group = this.#current!
    for (const [field, item] of Object.entries(items)) {
      ;(group.row[field] as Values[]).push(item)
      group.lineNumbers[field].push(line)
    }
    return closed
  }

  /** The record still being gathered, closed. */
  finish(): GroupedRow | undefined {
    const current = this.#current
    this.#current = undefined
    if (!current) return undefined
    const { key: _key, ...group } = current
    return group
  }
}
