import { TesseraError } from '@tessera/core'

/**
 * Splits a report or widget query string into its parts:
 *
 *   ?asOf=2024-06-30&period=2024-06-01..2024-06-30   params
 *   &f.region=华东&f.region=华北                      global filter values, by filter key
 *   &filters={"region":["华东","华北"]}               the same as JSON
 *   &filter.customer.region=华东                      run-time filters, by field path
 *   &dim.region=华东&dim.bucket__index=2              dimension values (empty: the empty group)
 *   &path={"region":"华东"}                           the same as JSON (keeps numbers and null)
 *   &level=customer&group=customer&limit=200&locale=en
 */
export interface ReportQuery {
  params: Record<string, string>
  filters: Record<string, string | string[]>
  fieldFilters: Array<{ field: string; values: string[] }>
  dimensions: Record<string, unknown>
  level?: string
  group?: string[]
  limit?: number
}

export function parseReportQuery(query: Record<string, unknown>): ReportQuery {
  const parsed: ReportQuery = { params: {}, filters: {}, fieldFilters: [], dimensions: {} }
  for (const [name, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String)
    const last = values[values.length - 1] ?? ''
    if (name.startsWith('f.')) parsed.filters[name.slice(2)] = values
    else if (name.startsWith('filter.')) parsed.fieldFilters.push({ field: name.slice(7), values })
    else if (name.startsWith('dim.')) parsed.dimensions[name.slice(4)] = dimensionValue(name, last)
    else if (name === 'path') Object.assign(parsed.dimensions, parseObject(name, last))
    else if (name === 'filters') Object.assign(parsed.filters, filterValues(parseObject(name, last)))
    else if (name === 'level') parsed.level = last
    else if (name === 'group') parsed.group = last.split(',').filter(Boolean)
    else if (name === 'limit') parsed.limit = parseLimit(last)
    else if (name !== 'locale') parsed.params[name] = last
  }
  return parsed
}

/** Filter values from JSON: texts, or lists of texts. */
function filterValues(raw: Record<string, unknown>): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  for (const [key, value] of Object.entries(raw)) {
    const list = Array.isArray(value) ? value : [value]
    if (!list.every((item) => typeof item === 'string')) {
      throw new TesseraError('request.invalid', `filters.${key} must be a text or a list of texts`,
        { details: { filter: key, received: value } })
    }
    values[key] = list as string[]
  }
  return values
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
  throw new TesseraError('request.invalid',
    `${name} must be a JSON object such as {"region":"华东"}, got ${JSON.stringify(text.slice(0, 80))}`,
    { details: { received: text.slice(0, 80) } })
}

function parseLimit(text: string): number {
  const limit = Number(text)
  if (Number.isInteger(limit) && limit >= 1) return limit
  throw new TesseraError('request.invalid', `limit must be a positive whole number, got ${JSON.stringify(text)}`,
    { details: { received: text } })
}

/** A query-string dimension value: empty is the empty group; `…__others=true` the others row. */
function dimensionValue(name: string, text: string): unknown {
  if (text === '') return null
  if (name.endsWith('__others') && text === 'true') return true
  return text
}
