import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { type FieldIssue, TesseraError } from '@tessera/core'

import { checkReportSpec } from '../src/index.js'
import { agingSpec, staticForms } from './fixtures.js'

const forms = staticForms()

/** The (field, rule) pairs a spec is rejected with; fails if it is accepted. */
async function issuesOf(spec: unknown, locale: 'zh-CN' | 'en' = 'en'): Promise<FieldIssue[]> {
  const error = await checkReportSpec(spec, forms, { locale }).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof TesseraError)) {
    throw new Error(`expected report.invalid, got ${String(error)}`)
  }
  expect(error.code).toBe('report.invalid')
  return error.issues
}

async function rulesOf(spec: unknown): Promise<Array<[string | undefined, string]>> {
  return (await issuesOf(spec)).map((issue) => [issue.field, issue.rule])
}

/** The aging spec with some parts replaced. */
function aging(patch: Record<string, unknown>): unknown {
  return { ...agingSpec(), ...patch }
}

describe('checkReportSpec', () => {
  it('accepts the aging report of the brief and returns it', async () => {
    const spec = agingSpec()
    await expect(checkReportSpec(spec, forms)).resolves.toBe(spec)
  })

  it('refuses nesting deeper than 64 levels before compiling it, naming where, and takes 30', async () => {
    const nested = (levels: number, wrap: (inner: unknown) => unknown, seed: unknown) => {
      let expr = seed
      for (let level = 0; level < levels; level += 1) expr = wrap(expr)
      return expr
    }
    // 3,000 negations used to overflow the compiler's stack (a 500).
    const negated = nested(3000, (inner) => ({ '!': inner }), { '>': [{ var: 'amount' }, 0] })
    expect(await rulesOf(aging({ where: negated }))).toEqual([['where', 'depth']])
    const chained = nested(300, (inner) => ({ '+': [inner, 1] }), { var: 'amount' })
    const measures = [{ key: 's', agg: 'sum', expr: chained }]
    const [issue] = await issuesOf(aging({ measures, sort: undefined, top: undefined }), 'zh-CN')
    expect(issue).toMatchObject({ field: 'measures', rule: 'depth', message: '嵌套超过 64 层：请用 let 拆分表达式' })
    const fine = nested(30, (inner) => ({ '+': [inner, 1] }), { var: 'amount' })
    await expect(checkReportSpec(aging({ measures: [{ key: 's', agg: 'sum', expr: fine }], sort: undefined, top: undefined }),
      forms)).resolves.toBeDefined()
  })

  it('says a missing source is missing, rather than an unpublished form called undefined', async () => {
    const { source: _source, ...sourceless } = agingSpec() as unknown as Record<string, unknown>
    const [issue] = await issuesOf(sourceless, 'zh-CN')
    expect(issue).toMatchObject({ field: 'source', rule: 'required', message: '缺少源表单（source）：报表须以一个已发布表单的键为源，或以 union 合并几个表单' })
  })

  it('refuses an in list longer than 1,000 items, which saved and then failed every run past 65,535 values', async () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `INV-${i}`)
    const [issue] = await issuesOf(aging({ where: { in: [{ var: 'number' }, list(70_000)] } }), 'zh-CN')
    expect(issue).toMatchObject({ field: 'where.in[1]', rule: 'max_items', expected: { max: 1000 }, received: 70_000 })
    expect(issue.message).toMatch(/^in 列表最多 1000 项，收到 70000 项/)
    await expect(checkReportSpec(aging({ where: { in: [{ var: 'number' }, list(1000)] } }), forms)).resolves.toBeDefined()
  })

  it('refuses equal ranges so narrow or an origin so far that no run could number them', async () => {
    const sized = (buckets: Record<string, unknown>) => aging({
      dimensions: [{ key: 'size', buckets: { expr: { var: 'amount' }, ...buckets } }], sort: undefined, top: undefined,
    })
    expect(await rulesOf(sized({ width: 1e-300 }))).toEqual([['dimensions[0].buckets.width', 'type']])
    expect(await rulesOf(sized({ width: 1e20 }))).toEqual([['dimensions[0].buckets.width', 'type']])
    expect(await rulesOf(sized({ width: 500, origin: -1e16 }))).toEqual([['dimensions[0].buckets.origin', 'type']])
    await expect(checkReportSpec(sized({ width: 0.5, origin: -100 }), forms)).resolves.toBeDefined()
  })

  it('refuses a text no database can store (NUL, a lone surrogate), naming where it is', async () => {
    const where = { '==': [{ var: 'number' }, 'a\u0000b'] }
    expect(await rulesOf(aging({ where }))).toEqual([['where.==[1]', 'text']])
    expect(await rulesOf(aging({ label: { 'zh-CN': '账龄\ud800', en: 'Aging' } }))).toEqual([['label.zh-CN', 'text']])
    // A pair of surrogates is one character, and fine.
    await expect(checkReportSpec(aging({ label: '账龄 😀' }), forms)).resolves.toBeDefined()
  })

  it('refuses a literal count of days no date survives', async () => {
    const measures = [{ key: 'latest', agg: 'max', expr: { add_days: [{ var: 'invoice_date' }, 1e15] } }]
    expect(await rulesOf(aging({ measures, sort: undefined, top: undefined })))
      .toEqual([['measures[0].expr.add_days[1]', 'range']])
    const fine = [{ key: 'latest', agg: 'max', expr: { add_days: [{ var: 'invoice_date' }, -36500] } }]
    await expect(checkReportSpec(aging({ measures: fine, sort: undefined, top: undefined }), forms)).resolves.toBeDefined()
  })

  it('accepts the example in the ReportSpec doc comment', async () => {
    const source = readFileSync(new URL('../src/spec.ts', import.meta.url), 'utf8')
    const block = /@example\n((?: \*.*\n)+?) \*\/\nexport interface ReportSpec/.exec(source)
    const json = block?.[1].split('\n').map((line) => line.replace(/^ \* ?/, '')).join('\n')
    const spec: unknown = JSON.parse(json ?? 'null')
    await expect(checkReportSpec(spec, forms)).resolves.toMatchObject({ key: 'aging' })
  })

  it('names an unknown field by its path in the spec', async () => {
    const spec = aging({ dimensions: [{ key: 'customer', expr: { var: 'customer.nmae' } }] })
    const [issue] = await issuesOf(spec)
    expect(issue).toMatchObject({
      field: 'dimensions[0].expr.var',
      rule: 'unknown_field',
      received: 'customer.nmae',
    })
    expect(issue.message).toBe('form "customer" has no field "nmae" (in path "customer.nmae")')
  })

  it('rejects a path through a field that is not a link', async () => {
    const spec = aging({ dimensions: [{ key: 'x', expr: { var: 'amount.scale' } }] })
    expect(await rulesOf(spec)).toEqual([['dimensions[0].expr.var', 'not_a_link']])
  })

  it('finds nothing through prototype names', async () => {
    const spec = aging({
      dimensions: [
        { key: 'a', expr: { var: 'constructor' } },
        { key: 'b', expr: { var: '__proto__.name' } },
        { key: 'c', expr: { ref: 'toString' } },
        { key: 'd', expr: { constructor: [] } },
      ],
    })
    expect(await rulesOf(spec)).toEqual([
      ['dimensions[0].expr.var', 'unknown_field'],
      ['dimensions[1].expr.var', 'unknown_field'],
      ['dimensions[2].expr.ref', 'unknown_ref'],
      ['dimensions[3].expr.constructor', 'unknown_operator'],
    ])
  })

  it('rejects unknown refs, params and operators', async () => {
    const spec = aging({
      where: {
        and: [
          { '>': [{ ref: 'opne' }, 0] },
          { '<=': [{ var: 'invoice_date' }, { param: 'asof' }] },
        ],
      },
      measures: [{ key: 'n', agg: 'sum', expr: { method: [{ var: 'amount' }, 'toString'] } }],
      sort: [],
    })
    expect(await rulesOf(spec)).toEqual([
      ['where.and[0].>[0].ref', 'unknown_ref'],
      ['where.and[1].<=[1].param', 'unknown_param'],
      ['measures[0].expr.method', 'unknown_operator'],
    ])
  })

  it('requires bucket edges in ascending order and one label per bucket', async () => {
    const bucket = (edges: unknown, labels?: unknown) => aging({
      dimensions: [{ key: 'bucket', buckets: { expr: { ref: 'days_past_due' }, edges, labels } }],
      sort: [],
    })
    const path = 'dimensions[0].buckets'
    expect(await rulesOf(bucket([0, 30, 30, 90]))).toEqual([[`${path}.edges[2]`, 'ascending']])
    expect(await rulesOf(bucket([]))).toEqual([[`${path}.edges`, 'type']])
    expect(await rulesOf(bucket([0, 30], ['a', 'b']))).toEqual([[`${path}.labels`, 'type']])
  })

  it('buckets only numbers', async () => {
    const spec = aging({
      dimensions: [{ key: 'b', buckets: { expr: { var: 'number' }, edges: [1] } }],
      sort: [],
    })
    expect(await rulesOf(spec)).toEqual([['dimensions[0].buckets.expr', 'type']])
  })

  it('detects a cycle between lets, even in lets nobody uses', async () => {
    const spec = aging({
      let: { ...agingSpec().let, a: { '+': [{ ref: 'b' }, 1] }, b: { '-': [{ ref: 'a' }, 1] } },
    })
    const [issue, ...rest] = await issuesOf(spec)
    expect(rest).toEqual([])
    expect(issue).toMatchObject({
      field: 'let.b.-[0].ref',
      rule: 'cycle',
      message: 'lets refer to each other in a cycle: a → b → a',
    })
  })

  it('keeps lets out of rollups and checks the rollup link', async () => {
    const spec = aging({
      let: {
        ...agingSpec().let,
        allocated: {
          rollup: { form: 'allocation', link: 'invoice', agg: 'sum', value: { ref: 'open' } },
        },
        wrong: { rollup: { form: 'invoice', link: 'customer', agg: 'count' } },
      },
    })
    expect(await rulesOf(spec)).toEqual([
      ['let.allocated.rollup.value.ref', 'ref_scope'],
      ['let.wrong.rollup.link', 'link'],
    ])
  })

  it('type-checks operands', async () => {
    const spec = aging({
      where: {
        and: [
          { days_between: [{ var: 'number' }, { param: 'asOf' }] },
          { '+': [{ var: 'amount' }, 'x'] },
        ],
      },
      measures: [{ key: 'text_sum', agg: 'sum', expr: { var: 'number' } }],
      sort: [],
    })
    expect(await rulesOf(spec)).toEqual([
      ['where.and[0].days_between[0]', 'type'],
      ['where.and[1].+[1]', 'type'],
      ['measures[0].type', 'type'],
    ])
  })

  it('requires where to be boolean and comparisons to compare like with like', async () => {
    expect(await rulesOf(aging({ where: { var: 'amount' } }))).toEqual([['where', 'type']])
    const mixed = { '==': [{ var: 'amount' }, { var: 'number' }] }
    expect(await rulesOf(aging({ where: mixed }))).toEqual([
      ['where.==[1]', 'type'],
    ])
    expect(await rulesOf(aging({ where: { '==': [{ var: 'due_date' }, 'soon'] } }))).toEqual([
      ['where.==[1]', 'type'],
    ])
    // compared as texts, "2024-10-02" < "2024-9-30"; a date wants a real ISO date
    expect(await rulesOf(aging({ where: { '<': [{ var: 'due_date' }, '2024-9-30'] } }))).toEqual([
      ['where.<[1]', 'type'],
    ])
  })

  it('accepts a date string literal compared with a date', async () => {
    const spec = aging({ where: { '>=': [{ var: 'due_date' }, '2024-01-01'] } })
    await expect(checkReportSpec(spec, forms)).resolves.toBeDefined()
  })

  it('wants in lists of literals of the subject type', async () => {
    const spec = aging({ where: { in: [{ var: 'status' }, ['open', { var: 'number' }, 3]] } })
    expect(await rulesOf(spec)).toEqual([
      ['where.in[1][1]', 'type'],
      ['where.in[1][2]', 'type'],
    ])
    const substring = { in: [{ var: 'status' }, 'open'] }
    expect(await rulesOf(aging({ where: substring }))).toEqual([['where.in', 'operands']])
  })

  it('checks operand counts', async () => {
    expect(await rulesOf(aging({ where: { '>': [1, 2, 3] } }))).toEqual([['where.>', 'arity']])
    const single = { and: { var: 'x' } }
    expect(await rulesOf(aging({ where: single }))).toEqual([['where.and', 'operands']])
  })

  it('rejects result columns that clash, also with a bucket index', async () => {
    const spec = aging({
      measures: [
        { key: 'customer', agg: 'count' },
        { key: 'bucket__index', agg: 'count' },
      ],
      sort: [],
    })
    expect(await rulesOf(spec)).toEqual([
      ['measures[0].key', 'duplicate'],
      ['measures[1].key', 'duplicate'],
    ])
  })

  it('checks measures: aggregate, expression and declared type', async () => {
    const spec = aging({
      measures: [
        { key: 'a', agg: 'median', expr: { var: 'amount' } },
        { key: 'b', agg: 'sum' },
        { key: 'c', agg: 'max', expr: { var: 'number' }, type: 'money' },
        { key: 'd', agg: 'sum', expr: { var: 'amount' }, scale: 30 },
      ],
      sort: [],
    })
    expect(await rulesOf(spec)).toEqual([
      ['measures[0].agg', 'enum'],
      ['measures[1].expr', 'required'],
      ['measures[2].type', 'type'],
      ['measures[3].scale', 'type'],
    ])
  })

  it('rejects sort keys that name no column, unknown properties and a bad limit', async () => {
    const spec = aging({ sort: [{ key: 'amount' }], limit: 0, dimension: [] })
    expect(await rulesOf(spec)).toEqual([
      ['dimension', 'unknown_property'],
      ['limit', 'type'],
      ['sort[0].key', 'unknown_key'],
    ])
  })

  it('checks param declarations', async () => {
    const spec = aging({
      params: [
        { key: 'asOf', type: 'date', default: 'yesterday' },
        { key: 'customer', type: 'integer' },
        { key: 'asOf', type: 'text' },
        // A name the query string of a run or drill means otherwise (form picks a union's records to list).
        { key: 'form', type: 'text' },
      ],
    })
    const rules = await rulesOf(spec)
    expect(rules.slice(0, 4)).toEqual([
      ['params[0].default', 'type'],
      ['params[1].type', 'enum'],
      ['params[2].key', 'duplicate'],
      ['params[3].key', 'reserved'],
    ])
  })

  it('rejects an unpublished source form and a spec that is no object', async () => {
    expect(await rulesOf(aging({ source: 'receipt' }))).toEqual([['source', 'unknown_form']])
    expect(await rulesOf(['not', 'a', 'spec'])).toEqual([['', 'type']])
  })

  it('needs at least one dimension or measure', async () => {
    const empty = aging({ dimensions: [], measures: [], sort: [] })
    expect(await rulesOf(empty)).toEqual([['measures', 'required']])
  })

  it('reports every problem of a spec at once, in Chinese by default', async () => {
    const spec = aging({
      where: { '>': [{ var: 'nope' }, { param: 'none' }] },
      dimensions: [{ key: 'Bad Key', expr: { var: 'customer.name' } }],
    })
    const issues = await issuesOf(spec, 'zh-CN')
    expect(issues.map((issue) => issue.field)).toEqual([
      'where.>[0].var',
      'where.>[1].param',
      'dimensions[0].key',
      'sort[0].key',
    ].filter((field) => issues.some((issue) => issue.field === field)))
    expect(issues.length).toBeGreaterThanOrEqual(3)
    expect(issues[0].message).toBe('表单 invoice 没有字段 nope（路径 nope）')
  })
})
