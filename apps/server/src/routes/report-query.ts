import { TesseraError } from '@tessera/core'
import { MAX_DRILL_ROWS } from '@tessera/platform'

/**
 * Splits a report or widget query string into its parts:
 *
 *   ?asOf=2024-06-30&period=2024-06-01..2024-06-30   params
 *   &f.region=华东&f.region=华北                      global filter values, by filter key (widgets)
 *   &filters={"region":["华东","华北"]}               the same as JSON (widgets)
 *   &filter.customer.region=华东                      run-time filters, by field path (reports)
 *   &dim.region=华东&dim.bucket__index=2              dimension values, empty: the empty group (reports)
 *   &path={"region":"华东"}                           a widget's drill path as JSON (keeps numbers and null)
 *   &level=customer (widgets) &group=customer (report runs) &limit=200 &measure=overdue (drills) &locale=en
 *   &form=receipt (drills of a report over several forms: whose records to list)
 *
 * Each route names the parts it takes: any other part is refused, not
 * ignored, so a figure never looks filtered when it is not. A part given
 * twice (other than a filter's values) is refused too.
 */
export type QueryPart =
  'field_filters' | 'global_filters' | 'dimensions' | 'path' | 'level' | 'group' | 'limit' | 'measure' | 'form'

export interface ReportQuery {
  params: Record<string, string>
  filters: Record<string, string | string[]>
  fieldFilters: Array<{ field: string; values: string[]; origin: string }>
  dimensions: Record<string, unknown>
  level?: string
  group?: string[]
  limit?: number
  measure?: string
  form?: string
}

/** The parts each route takes. */
export const REPORT_RUN: QueryPart[] = ['field_filters', 'dimensions', 'group']
export const REPORT_DRILL: QueryPart[] = ['field_filters', 'dimensions', 'limit', 'measure', 'form']
export const WIDGET_RUN: QueryPart[] = ['global_filters', 'path', 'level']
export const WIDGET_DRILL: QueryPart[] = ['global_filters', 'path', 'level', 'limit', 'measure', 'form']

const PART_OF: Array<[test: (name: string) => boolean, part: QueryPart]> = [
  [(name) => name.startsWith('f.') || name === 'filters', 'global_filters'],
  [(name) => name.startsWith('filter.'), 'field_filters'],
  [(name) => name.startsWith('dim.'), 'dimensions'],
  [(name) => name === 'path', 'path'],
  [(name) => name === 'level', 'level'],
  [(name) => name === 'group', 'group'],
  [(name) => name === 'limit', 'limit'],
  [(name) => name === 'measure', 'measure'],
  [(name) => name === 'form', 'form'],
]

const INSTEAD: Record<QueryPart, { zh: string; en: string }> = {
  global_filters: { zh: '全局筛选 f.<筛选键> 只用于看板组件；报表请用 filter.<字段路径>', en: 'global filters f.<key> are for dashboard widgets; a report takes filter.<field path>' },
  field_filters: { zh: 'filter.<字段路径> 只用于报表；看板组件请用看板的筛选 f.<筛选键>', en: 'filter.<field path> is for reports; a widget takes its dashboard\'s filters f.<key>' },
  dimensions: { zh: 'dim.<维度> 只用于报表；看板组件请用 path', en: 'dim.<dimension> is for reports; a widget takes path' },
  path: { zh: 'path 只用于看板组件；报表请用 dim.<维度>', en: 'path is for dashboard widgets; a report takes dim.<dimension>' },
  level: { zh: 'level 只用于看板组件', en: 'level is for dashboard widgets' },
  group: { zh: 'group 只用于运行报表', en: 'group is for report runs' },
  limit: { zh: 'limit 只用于明细下钻', en: 'limit is for drills' },
  measure: { zh: 'measure 只用于明细下钻', en: 'measure is for drills' },
  form: { zh: 'form 只用于明细下钻', en: 'form is for drills' },
}

export function parseReportQuery(query: Record<string, unknown>, accepts: QueryPart[]): ReportQuery {
  // Without prototypes: a key such as __proto__ (from dim.__proto__ or a path's JSON) is then a
  // key like any other, refused downstream by name, not a change of the object's prototype.
  const parsed: ReportQuery = { params: bare(), filters: bare(), fieldFilters: [], dimensions: bare() }
  for (const [name, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String)
    const part = PART_OF.find(([test]) => test(name))?.[1]
    if (part !== undefined && !accepts.includes(part)) {
      refuse(name, `${name} is not taken here: ${INSTEAD[part].en}`, `这个接口不接受 ${name}：${INSTEAD[part].zh}`)
    }
    const filterValues = name.startsWith('f.') || name.startsWith('filter.')
    if (values.length > 1 && !filterValues) {
      refuse(name, `${name} is given ${values.length} times; give it once`, `${name} 出现了 ${values.length} 次，只能给一次`)
    }
    const value = values[0] ?? ''
    if (name.startsWith('f.')) parsed.filters[name.slice(2)] = values
    else if (name.startsWith('filter.')) parsed.fieldFilters.push({ field: name.slice(7), values, origin: `query.${name}` })
    else if (name.startsWith('dim.')) parsed.dimensions[name.slice(4)] = dimensionValue(name, value)
    else if (name === 'path') Object.assign(parsed.dimensions, parseObject(name, value))
    else if (name === 'filters') Object.assign(parsed.filters, filterList(parseObject(name, value)))
    else if (name === 'level') parsed.level = value
    else if (name === 'group') parsed.group = groupList(value)
    else if (name === 'limit') parsed.limit = parseLimit(value)
    else if (name === 'measure') parsed.measure = value === '' ? refuse(name, 'measure must name a measure of the report, got nothing',
      'measure 须为报表的一个度量，收到空值') : value
    else if (name === 'form') parsed.form = value
    else if (name !== 'locale') parsed.params[name] = value
  }
  refuseTwice(query)
  return parsed
}

/**
 * One thing said two ways is refused rather than one silently winning: a
 * global filter both as `f.<key>` and in `filters`, and one report
 * dimension picked twice (`dim.bucket` beside `dim.bucket__index`).
 */
function refuseTwice(query: Record<string, unknown>): void {
  const names = Object.keys(query)
  const json = (name: string) => {
    try {
      const value: unknown = JSON.parse(String(query[name]))
      return typeof value === 'object' && value !== null ? Object.keys(value) : []
    } catch {
      return []
    }
  }
  const filters = [
    ...names.filter((name) => name.startsWith('f.')).map((name) => ({ key: name.slice(2), said: name })),
    ...(names.includes('filters') ? json('filters').map((key) => ({ key, said: `filters.${key}` })) : []),
  ]
  // (A widget's `path` holds a bucket's label beside its index by design: the chart's click gives both.)
  const dimensions = names.filter((name) => name.startsWith('dim.'))
    .map((name) => ({ key: name.slice(4).replace(/__(index|others)$/, ''), said: name }))
  for (const [list, what] of [[filters, { en: 'filter', zh: '筛选' }], [dimensions, { en: 'dimension', zh: '维度' }]] as const) {
    const first = new Map<string, string>()
    for (const { key, said } of list) {
      const earlier = first.get(key)
      if (earlier !== undefined) {
        refuse(said, `the ${what.en} "${key}" is given twice, as ${earlier} and as ${said}; give it once`,
          `${what.zh}「${key}」给了两次（${earlier} 和 ${said}），只能给一次`)
      }
      first.set(key, said)
    }
  }
}

/** `group=region,customer`: dimension keys, each once. */
function groupList(text: string): string[] {
  const keys = text.split(',').filter(Boolean)
  const twice = keys.find((key, index) => keys.indexOf(key) !== index)
  if (twice !== undefined) {
    refuse('group', `group names "${twice}" twice; name each dimension once`, `group 中「${twice}」出现了两次，每个维度只能写一次`)
  }
  return keys
}

function refuse(field: string, en: string, zh: string): never {
  throw new TesseraError('request.invalid', en, {
    details: { field },
    issues: [{ field: `query.${field}`, rule: 'query', message: en }],
    messages: { 'zh-CN': zh, en },
  })
}

/** Filter values from JSON: texts, or lists of texts. */
function filterList(raw: Record<string, unknown>): Record<string, string | string[]> {
  const values = bare<string | string[]>()
  for (const [key, value] of Object.entries(raw)) {
    const list = Array.isArray(value) ? value : [value]
    if (!list.every((item) => typeof item === 'string')) {
      refuse(`filters.${key}`, `filters.${key} must be a text or a list of texts`, `filters.${key} 须为文本或文本列表`)
    }
    values[key] = list as string[]
  }
  return values
}

function bare<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

function parseObject(name: string, text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>
  }
  const shown = JSON.stringify(text.slice(0, 80))
  return refuse(name, `${name} must be a JSON object such as {"region":"华东"}, got ${shown}`,
    `${name} 须为 JSON 对象，例如 {"region":"华东"}，收到 ${shown}`)
}

function parseLimit(text: string): number {
  // Decimal digits only: Number() would read 0x10 as 16 and 1e3 as 1000.
  const limit = /^[1-9][0-9]{0,6}$/.test(text) ? Number(text) : NaN
  if (Number.isInteger(limit) && limit >= 1 && limit <= MAX_DRILL_ROWS) return limit
  const shown = JSON.stringify(text)
  return refuse('limit', `limit must be a whole number from 1 to ${MAX_DRILL_ROWS}, got ${shown}`,
    `limit 须为 1 到 ${MAX_DRILL_ROWS} 之间的整数，收到 ${shown}`)
}

/** A query-string dimension value: empty is the empty group; `…__others=true` the others row. */
function dimensionValue(name: string, text: string): unknown {
  // The empty group: null, or an empty text, on a text dimension (see matchDimensions).
  if (text === '') return ''
  if (name.endsWith('__others') && text === 'true') return true
  return text
}
