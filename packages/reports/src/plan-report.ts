import { type RawBuilder, sql } from 'kysely'

import {
  type FormResolver,
  type Locale,
  type PublishedForm,
  TesseraError,
  isUnstorableText,
  nestedDeeperThan,
  unstorableTextPath,
} from '@tessera/core'

import { checkOutputKeys, checkSort } from './check-outputs.js'
import { checkDrillTo, checkSuggestions } from './check-page-parts.js'
import {
  type BoundParam,
  type CompileContext,
  type DateShift,
  FormCache,
  createAliasCounter,
} from './compile-context.js'
import { compileExpr } from './compile-expr.js'
import { matchDimensions } from './dimension-match.js'
import { IssueList, at, show } from './issue-list.js'
import { planDerived } from './plan-derived.js'
import { type PlannedDimension, planDimension } from './plan-dimensions.js'
import { type PlannedPivot, type PlannedTop, planPivot, planTop } from './plan-layout.js'
import { type PlannedMeasure, planMeasure } from './plan-measures.js'
import { MAX_EXPANDED_NODES, expandedSize } from './expanded-size.js'
import { type PlannedUnion, planUnion } from './plan-union.js'
import { type RowSource, tableSource } from './report-options.js'
import { RollupTable } from './rollup-table.js'
import { checkParamSpecs } from './report-params.js'
import { type ReportFilter, compileFilters } from './runtime-filters.js'
import { Scope } from './scope.js'
import { extraKeys, isKey, isLocalizedText, isName, isRecord } from './shape.js'
import type { ReportParamSpec, ReportSort, ReportSpec } from './spec.js'
import { describe } from './value-type.js'

const SPEC_PROPERTIES = [
  'key',
  'label',
  'description',
  'source',
  'union',
  'params',
  'let',
  'where',
  'filter',
  'dimensions',
  'measures',
  'sort',
  'limit',
  'top',
  'pivot',
  'drillTo',
]
export const MAX_LIMIT = 100_000

/** A checked spec with every expression compiled against one source scope. */
export interface ReportPlan {
  spec: ReportSpec
  source: Scope
  /** Every condition on source rows: where, filter, run-time filters, matches. */
  conditions: Array<RawBuilder<unknown>>
  /** The dimensions grouped by (a run may group by fewer than the spec has). */
  dimensions: PlannedDimension[]
  measures: PlannedMeasure[]
  sort: Array<Required<ReportSort>>
  limit?: number
  top?: PlannedTop
  pivot?: PlannedPivot
  /** The param values bound into this plan's SQL. */
  values: Record<string, unknown>
}

/**
 * What a run adds to a spec: dashboard filters on source fields, values of
 * dimensions to keep (a drill path such as { region: "华东" }), and the
 * dimensions to group by (one drill level), in the spec's order.
 */
export interface RunShape {
  filters?: readonly ReportFilter[]
  match?: Record<string, unknown>
  group?: readonly string[]
}

export interface PlanSetup extends RunShape {
  /** Names this plan's WITH steps apart from another plan's in the same statement. */
  prefix?: string
  locale: Locale
  /** The language texts given in both are read in, when not `locale` (checking the other half). */
  reading?: Locale
  timeZone: string
  source?: RowSource
  /** See CompileContext.dateShift. */
  dateShift?: DateShift
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
  // Only the top-level part is named: the depth is of an expression inside it.
  const deep = nestedDeeperThan(raw, MAX_NESTING, 1)
  if (deep !== undefined) {
    issues.add(deep, 'depth', {
      zh: `嵌套超过 ${MAX_NESTING} 层：请用 let 拆分表达式`,
      en: `nested more than ${MAX_NESTING} levels deep: split the expression with let`,
    }, { expected: `at most ${MAX_NESTING} levels` })
    throw issues.toError(raw.key)
  }
  const unusable = unstorableTextPath(raw)
  if (unusable !== undefined) {
    issues.add(unusable, 'text', {
      zh: '文本含有数据库无法保存的字符（NUL 或不成对的代理项）',
      en: 'a text holds a character the database cannot store (NUL or an unpaired surrogate)',
    })
    throw issues.toError(typeof raw.key === 'string' && !isUnstorableText(raw.key) ? raw.key : undefined)
  }

  const expanded = expandedSize(raw)
  if (expanded > MAX_EXPANDED_NODES) {
    // Refused before anything is compiled: writing such a statement out takes seconds and gigabytes.
    const shown = expanded >= MAX_EXPANDED_NODES * 2 ? `${MAX_EXPANDED_NODES * 2}+` : String(expanded)
    issues.add('let', 'size', {
      zh: `表达式展开后有 ${shown} 个节点，超过允许的 ${MAX_EXPANDED_NODES} 个：其中的 let 互相重复引用太多次（一个 let 在另一个里用了很多次，后者又被多次使用），请改为只计算一次`,
      en: `the expressions come to ${shown} nodes with their lets written out, more than the ${MAX_EXPANDED_NODES} allowed: lets repeat each other too often (a let used many times in a let used many times); compute the value once`,
    }, { expected: `at most ${MAX_EXPANDED_NODES} nodes`, received: shown })
    throw issues.toError(typeof raw.key === 'string' ? raw.key : undefined)
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
  await checkSuggestions(paramSpecs, forms, issues)
  const base = setup.source ?? tableSource
  // A union's rows stand where a form's table would (its FROM item is set once it is planned).
  let union: PlannedUnion | undefined
  const rows: RowSource = Object.assign(
    (form: PublishedForm, alias: string) => (union && form === union.form
      ? sql`(${union.rows}) as ${sql.id(alias)}`
      : base(form, alias)),
    {
      readsStored: (form: PublishedForm, key: string) => base.readsStored?.(form, key) ?? false,
      noteField: (form: PublishedForm, key: string) => base.noteField?.(form, key),
    },
  )
  const context: CompileContext = {
    issues,
    forms,
    params: bindParams(paramSpecs, values),
    lets: { raw: checkLets(raw.let, issues), compiled: new Map(), stack: [] },
    timeZone: setup.timeZone,
    locale: setup.reading ?? setup.locale,
    source: rows,
    rollups: new RollupTable(setup.prefix ?? ''),
    nextAlias: createAliasCounter(),
    ...(setup.dateShift ? { dateShift: setup.dateShift } : {}),
  }

  let form: PublishedForm | undefined
  if (raw.union !== undefined && raw.source !== undefined) {
    issues.add('union', 'expression', {
      zh: '报表只能有 source 或 union 之一',
      en: 'a report names either source or union, not both',
    })
    throw issues.toError(raw.key)
  }
  if (raw.union !== undefined) {
    union = await planUnion(raw.union, context)
    if (!union) throw issues.toError(raw.key)
    form = union.form
  } else {
    form = isKey(raw.source) ? await forms.find(raw.source) : undefined
  }
  if (!form) {
    if (raw.source === undefined) {
      issues.add('source', 'required', {
        zh: '缺少源表单（source）：报表须以一个已发布表单的键为源，或以 union 合并几个表单',
        en: 'source is missing: a report reads the records of one published form, named by its key, or of several in a union',
      })
    } else {
      issues.add('source', 'unknown_form', {
        zh: `源表单 ${show(raw.source)} 未发布`,
        en: `source form ${show(raw.source)} is not a published form`,
      }, { received: raw.source })
    }
    throw issues.toError(raw.key)
  }

  const source = new Scope(form, 't0', context, { allowsLets: true })

  const conditions: Array<RawBuilder<unknown>> = []
  for (const name of ['where', 'filter'] as const) {
    if (raw[name] === undefined) continue
    const condition = await planCondition(raw[name], name, source)
    if (condition) conditions.push(condition)
  }
  const dimensions = await planList(raw.dimensions, 'dimensions', source, planDimension)
  const measures = await planList(raw.measures, 'measures', source, planMeasure)
  checkOutputKeys(raw, issues)
  const sort = checkSort(raw, issues)
  planDerived(measures, dimensions, paramSpecs, issues)
  const top = planTop(raw.top, dimensions, measures, issues)
  if (union && top?.others) {
    // The "others" row is matched by the ids of its rows, and a union's rows have none.
    issues.add(at('top', 'others'), 'union', {
      zh: 'union 报表的行没有记录 id，无法合成“其他”行；请设置 top.others 为 false',
      en: 'a union report\'s rows have no record ids to gather an "others" row from; set top.others to false',
    })
  }
  const pivot = planPivot(raw.pivot, dimensions, measures, issues)
  if (top && pivot) {
    issues.add('top', 'expression', {
      zh: 'top 与 pivot 不能同时使用',
      en: 'top and pivot cannot be used together',
    })
  }
  await checkUnusedLets(source)
  checkDrillTo(raw.drillTo, dimensions, paramSpecs, issues)

  issues.throwIfAny(raw.key)
  if (paramError !== undefined) throw paramError
  conditions.push(...(await runConditions(setup, source, dimensions)))

  const limit = typeof raw.limit === 'number' ? raw.limit : undefined
  const plan: ReportPlan = {
    spec: raw as unknown as ReportSpec,
    source,
    conditions,
    dimensions,
    measures,
    sort,
    limit,
    top,
    pivot,
    values,
  }
  return setup.group ? regroup(plan, setup.group) : plan
}

/**
 * Run-time filters and dimension matches, checked once the spec is known to
 * be valid: their problems are the request's, so they fail with
 * `request.invalid` rather than `report.invalid`.
 */
async function runConditions(
  setup: PlanSetup,
  source: Scope,
  dimensions: PlannedDimension[],
): Promise<Array<RawBuilder<unknown>>> {
  const { context } = source
  const issues = new IssueList(setup.locale)
  const specIssues = context.issues
  context.issues = issues
  const filters = await compileFilters(setup.filters ?? [], source)
  context.issues = specIssues

  if (issues.size > 0) {
    const first = issues.all[0]
    // The issues are worded in the run's language already.
    const worded = setup.locale === 'zh-CN' ? `筛选 ${first.field}：${first.message}` : `filter ${first.field}: ${first.message}`
    throw new TesseraError('request.invalid', `filter ${first.field}: ${first.message}`, {
      details: { filter: first.field },
      issues: issues.all,
      messages: { [setup.locale]: worded },
    })
  }
  const matches = setup.match ? matchDimensions(dimensions, setup.match, setup.locale) : []
  return [...filters, ...matches]
}

/**
 * Keeps the dimensions a run groups by. What named a dropped dimension
 * falls back: top and pivot are left out, a running total runs along the
 * first kept dimension, sort keys on it are ignored.
 */
function regroup(plan: ReportPlan, group: readonly string[]): ReportPlan {
  const known = plan.dimensions.map((dimension) => dimension.key)
  const unknown = group.filter((key) => !known.includes(key))
  if (unknown.length > 0) {
    const en = `cannot group by ${show(unknown[0])}: report "${plan.spec.key}" has the dimensions ${known.join(', ')}`
    throw new TesseraError('request.invalid', en, {
      details: { expected: known, received: unknown[0] },
      issues: [{ field: 'group', rule: 'unknown', message: en }],
      messages: { 'zh-CN': `不能按 ${show(unknown[0])} 分组：报表「${plan.spec.key}」的维度是 ${known.join('、')}`, en },
    })
  }

  const dimensions = plan.dimensions.filter((dimension) => group.includes(dimension.key))
  const kept = new Set(dimensions.map((dimension) => dimension.key))
  const measures = plan.measures.map((measure) => {
    if (measure.agg !== 'running') return measure
    // Along the dimensions still grouped by; along the first one kept when none is.
    const along = (measure.along ?? []).filter((key) => kept.has(key))
    const first = dimensions[0]?.key
    return { ...measure, along: along.length > 0 ? along : first === undefined ? [] : [first] }
  })
  const pivotKept = plan.pivot?.columns.every((key) => kept.has(key))
  return {
    ...plan,
    dimensions,
    measures,
    sort: plan.sort.filter((item) => kept.has(item.key) || !known.includes(item.key)),
    top: plan.top && kept.has(plan.top.dimension) ? plan.top : undefined,
    pivot: pivotKept ? plan.pivot : undefined,
  }
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

async function planCondition(
  raw: unknown,
  name: 'where' | 'filter',
  source: Scope,
): Promise<RawBuilder<unknown> | undefined> {
  const condition = await compileExpr(raw, source, name)
  const kind = condition.type.kind
  if (kind === 'boolean') return condition.sql
  if (kind === 'invalid') return undefined
  source.context.issues.add(name, 'type', {
    zh: `${name} 须为布尔表达式，收到 ${describe(condition.type)}`,
    en: `${name} must be a boolean expression, got ${describe(condition.type)}`,
  }, { received: describe(condition.type) })
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

/** Lets nobody refers to are still checked, in a scope whose joins are dropped. */
async function checkUnusedLets(source: Scope): Promise<void> {
  const { lets } = source.context
  const scratch = new Scope(source.form, source.alias, source.context, { allowsLets: true })
  scratch.discarded = true
  for (const name of Object.keys(lets.raw)) {
    if (!isName(name) || lets.compiled.has(name)) continue
    await compileExpr({ ref: name }, scratch, at('let', name))
  }
}

/**
 * How deep a spec's JSON may nest (objects and arrays, each a level): far
 * beyond any formula a person writes, and well inside what the compiler's
 * recursion and the databases' expression depth take.
 */
const MAX_NESTING = 64
