import { type IssueList, at, show } from './issue-list.js'
import { isKey, isRecord } from './shape.js'
import type { ReportSort } from './spec.js'

/** The result columns an item adds: its key, a bucket's index, a comparison's columns. */
function outputNames(list: 'dimensions' | 'measures', key: string, item: unknown): string[] {
  if (!isRecord(item)) return [key]
  if (list === 'dimensions') return item.buckets === undefined ? [key] : [key, `${key}__index`]
  if (item.compare === undefined) return [key]
  return [key, ...COMPARISON_SUFFIXES.map((suffix) => `${key}__${suffix}`)]
}

export const COMPARISON_SUFFIXES = ['previous', 'change', 'change_rate'] as const

/** Dimension and measure keys name result columns, so they must not clash. */
export function checkOutputKeys(raw: Record<string, unknown>, issues: IssueList): void {
  const taken = new Set<string>()
  let outputs = 0
  for (const name of ['dimensions', 'measures'] as const) {
    const list = raw[name]
    if (!Array.isArray(list)) continue
    list.forEach((item: unknown, index) => {
      const key = isRecord(item) ? item.key : undefined
      const path = at(at(name, index), 'key')
      outputs += 1
      if (!isKey(key)) {
        issues.add(path, 'key', {
          zh: `键须为小写字母开头的蛇形命名，收到 ${show(key)}`,
          en: `a key must be lower snake case, got ${show(key)}`,
        }, { received: key })
        return
      }
      const names = outputNames(name, key, item)
      if (names.some((candidate) => taken.has(candidate))) {
        issues.add(path, 'duplicate', {
          zh: `结果列 ${key} 重复`,
          en: `result column "${key}" is used twice`,
        }, { received: key })
      }
      names.forEach((candidate) => taken.add(candidate))
    })
  }

  if (outputs === 0) {
    issues.add('measures', 'required', {
      zh: '报表至少需要一个维度或度量',
      en: 'a report needs at least one dimension or measure',
    })
  }
}

export function checkSort(raw: Record<string, unknown>, issues: IssueList): Array<Required<ReportSort>> {
  if (raw.sort === undefined) return []
  if (!Array.isArray(raw.sort)) {
    issues.add('sort', 'type', { zh: 'sort 须为数组', en: 'sort must be an array' })
    return []
  }

  const keys = new Set<unknown>()
  for (const name of ['dimensions', 'measures'] as const) {
    const list = raw[name]
    if (Array.isArray(list)) list.forEach((item: unknown) => isRecord(item) && keys.add(item.key))
  }

  const sort: Array<Required<ReportSort>> = []
  raw.sort.forEach((item: unknown, index) => {
    const path = at('sort', index)
    const key = isRecord(item) ? item.key : undefined
    const dir = isRecord(item) ? (item.dir ?? 'asc') : undefined
    if (!isRecord(item) || typeof key !== 'string' || !keys.has(key)) {
      issues.add(at(path, 'key'), 'unknown_key', {
        zh: `排序键 ${show(key)} 不是维度或度量`,
        en: `sort key ${show(key)} is neither a dimension nor a measure`,
      }, { expected: [...keys], received: key })
      return
    }
    if (dir !== 'asc' && dir !== 'desc') {
      issues.add(at(path, 'dir'), 'enum', {
        zh: `排序方向须为 asc 或 desc，收到 ${show(dir)}`,
        en: `sort dir must be asc or desc, got ${show(dir)}`,
      }, { expected: ['asc', 'desc'], received: dir })
      return
    }
    sort.push({ key, dir })
  })
  return sort
}

