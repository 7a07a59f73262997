import type { FormResolver, Locale } from '@tessera/core'

import {
  type BoundParam,
  type CompileContext,
  FormCache,
  createAliasCounter,
} from './compile-context.js'
import { compileExpr } from './compile-expr.js'
import { type RowSource, tableSource } from './report-options.js'
import { IssueList, at, show } from './issue-list.js'
import { type PlannedDimension, planDimension } from './plan-dimensions.js'
import { type PlannedMeasure, planMeasure } from './plan-measures.js'
import { checkParamSpecs } from './report-params.js'
import { Scope } from './scope.js'
import { extraKeys, isKey, isLocalizedText, isName, isRecord } from './shape.js'
import type { ReportParamSpec, ReportSort, ReportSpec } from './spec.js'
import { describe, type Typed } from './value-type.js'

const SPEC_PROPERTIES = [
  'key',
  'label',
  'description',
  'source',
  'params',
  'let',
  'where',
  'dimensions',
  'measures',
  'sort',
  'limit',
]
export const MAX_LIMIT = 100_000

/** A checked spec with every expression compiled against one source scope. */
export interface ReportPlan {
  spec: ReportSpec
  source: Scope
  where?: Typed
  dimensions: PlannedDimension[]
  measures: PlannedMeasure[]
  sort: Array<Required<ReportSort>>
  limit?: number
}

export interface PlanSetup {
  locale: Locale
  timeZone: string
  source?: RowSource
  /**
   * Binds the params once their specs are checked: resolved values when
   * compiling (it may throw report.param_invalid), nulls when only checking.
   */
  bind(specs: ReportParamSpec[]): Record<string, unknown>
}

/**
 * Checks a spec against the published forms and compiles its parts. Every
 * problem is collected; then `report.invalid` is thrown with all of them.
 * A param error (from `bind`) is thrown only when the spec itself is valid.
 */
export async function planReport(
  raw: unknown,
  resolver: FormResolver,
  setup: PlanSetup,
): Promise<ReportPlan> {
  const issues = new IssueList(setup.locale)
  if (!isRecord(raw)) {
    issues.add('', 'type', { zh: '报表定义须为对象', en: 'a report spec must be an object' })
    throw issues.toError(undefined)
  }

  checkHeader(raw, issues)
  const paramSpecs = checkParamSpecs(raw.params, issues)
  let paramError: unknown
  let values: Record<string, unknown> = {}
  try {
    values = setup.bind(paramSpecs)
  } catch (error) {
    paramError = error
  }

  const forms = new FormCache(resolver)
  const form = isKey(raw.source) ? await forms.find(raw.source) : undefined
  if (!form) {
    issues.add('source', 'unknown_form', {
      zh: `源表单 ${show(raw.source)} 未发布`,
      en: `source form ${show(raw.source)} is not a published form`,
    }, { received: raw.source })
    throw issues.toError(raw.key)
  }

  const context: CompileContext = {
    issues,
    forms,
    params: bindParams(paramSpecs, values),
    lets: { raw: checkLets(raw.let, issues), compiled: new Map(), stack: [] },
    timeZone: setup.timeZone,
    source: setup.source ?? tableSource,
    nextAlias: createAliasCounter(),
  }
  const source = new Scope(form, 't0', context, { allowsLets: true })

  const where = raw.where === undefined ? undefined : await planWhere(raw.where, source)
  const dimensions = await planList(raw.dimensions, 'dimensions', source, planDimension)
  const measures = await planList(raw.measures, 'measures', source, planMeasure)
  checkOutputKeys(raw, issues)
  const sort = checkSort(raw, issues)
  await checkUnusedLets(source)

  issues.throwIfAny(raw.key)
  if (paramError !== undefined) throw paramError
  const limit = typeof raw.limit === 'number' ? raw.limit : undefined
  return { spec: raw as unknown as ReportSpec, source, where, dimensions, measures, sort, limit }
}

function checkHeader(raw: Record<string, unknown>, issues: IssueList): void {
  for (const name of extraKeys(raw, SPEC_PROPERTIES)) {
    issues.add(name, 'unknown_property', {
      zh: `报表定义不支持属性 ${name}`,
      en: `a report spec has no property "${name}"`,
    }, { expected: SPEC_PROPERTIES })
  }
  if (!isKey(raw.key)) {
    issues.add('key', 'key', {
      zh: `报表键须为小写字母开头的蛇形命名，收到 ${show(raw.key)}`,
      en: `a report key must be lower snake case, got ${show(raw.key)}`,
    }, { received: raw.key })
  }
  for (const name of ['label', 'description']) {
    const text = raw[name]
    if ((name === 'label' || text !== undefined) && !isLocalizedText(text)) {
      issues.add(name, 'type', {
        zh: `${name} 须为文本或 { "zh-CN", "en" }`,
        en: `${name} must be a text or { "zh-CN", "en" }`,
      })
    }
  }
  const limit = raw.limit
  const limitOk = Number.isInteger(limit) && Number(limit) >= 1 && Number(limit) <= MAX_LIMIT
  if (limit !== undefined && !limitOk) {
    issues.add('limit', 'type', {
      zh: `limit 须为 1 到 ${MAX_LIMIT} 的整数`,
      en: `limit must be an integer from 1 to ${MAX_LIMIT}`,
    }, { received: limit })
  }
}

function bindParams(
  specs: ReportParamSpec[],
  values: Record<string, unknown>,
): Map<string, BoundParam> {
  return new Map(specs.map((spec) => [spec.key, { spec, value: values[spec.key] ?? null }]))
}

function checkLets(raw: unknown, issues: IssueList): Record<string, unknown> {
  if (raw === undefined) return {}
  if (!isRecord(raw)) {
    issues.add('let', 'type', { zh: 'let 须为对象', en: 'let must be an object of expressions' })
    return {}
  }
  for (const name of Object.keys(raw)) {
    if (isName(name)) continue
    issues.add(at('let', name), 'key', {
      zh: `let 名称须由字母开头，只含字母、数字和下划线，收到 ${show(name)}`,
      en: `a let name must start with a letter and hold only letters, digits and _, got ${show(name)}`,
    })
  }
  return raw
}

async function planWhere(raw: unknown, source: Scope): Promise<Typed | undefined> {
  const where = await compileExpr(raw, source, 'where')
  const kind = where.type.kind
  if (kind === 'boolean' || kind === 'invalid') return where
  source.context.issues.add('where', 'type', {
    zh: `where 须为布尔表达式，收到 ${describe(where.type)}`,
    en: `where must be a boolean expression, got ${describe(where.type)}`,
  }, { received: describe(where.type) })
  return undefined
}

type Planner<T> = (
  raw: Record<string, unknown>,
  index: number,
  scope: Scope,
  path: string,
) => Promise<T | undefined>

async function planList<T>(
  raw: unknown,
  name: 'dimensions' | 'measures',
  source: Scope,
  plan: Planner<T>,
): Promise<T[]> {
  const { issues } = source.context
  if (raw === undefined) return []
  if (!Array.isArray(raw)) {
    issues.add(name, 'type', { zh: `${name} 须为数组`, en: `${name} must be an array` })
    return []
  }

  const planned: T[] = []
  for (const [index, item] of raw.entries()) {
    const path = at(name, index)
    if (!isRecord(item)) {
      issues.add(path, 'type', { zh: '须为对象', en: 'must be an object' })
      continue
    }
    const done = await plan(item, index, source, path)
    if (done) planned.push(done)
  }
  return planned
}

/** Dimension and measure keys name result columns, so they must not clash. */
function checkOutputKeys(raw: Record<string, unknown>, issues: IssueList): void {
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
      const extra = name === 'dimensions' && isRecord(item) && item.buckets !== undefined
      const names = extra ? [key, `${key}__index`] : [key]
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

function checkSort(raw: Record<string, unknown>, issues: IssueList): Array<Required<ReportSort>> {
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

/** Lets nobody refers to are still checked, in a scope whose joins are dropped. */
async function checkUnusedLets(source: Scope): Promise<void> {
  const { lets } = source.context
  const scratch = new Scope(source.form, source.alias, source.context, { allowsLets: true })
  for (const name of Object.keys(lets.raw)) {
    if (!isName(name) || lets.compiled.has(name)) continue
    await compileExpr({ ref: name }, scratch, at('let', name))
  }
}
