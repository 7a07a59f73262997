import type { FastifyInstance, FastifyRequest } from 'fastify'
import { LOCALES, localize, TesseraError, type Locale, type PublishedForm, type SortSpec } from '@tessera/core'
import { recordsToXlsx, type XlsxExtras } from '@tessera/importer'
import {
  recordsToCsv,
  type FigureOrigin,
  drillAbout,
  drillCondition,
  drillForms,
  drillShares,
  withDrillShares,
  type Platform,
} from '@tessera/platform'
import type { AuditOrigin } from '@tessera/store'
import { actorOf, authContextOf, localeOf } from '../request-context.js'

type FormParams = { app: string; form: string }
type RecordParams = FormParams & { id: number }
type ListQuery = {
  page?: number; pageSize?: number; sort?: string; filter?: string; q?: string
  after?: string; before?: string; drill?: string
}

const idParams = {
  type: 'object',
  properties: { app: { type: 'string' }, form: { type: 'string' }, id: { type: 'integer', minimum: 1 } },
  required: ['app', 'form', 'id'],
} as const

const listQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 500 },
    sort: { type: 'string', maxLength: 500 },
    filter: { type: 'string', maxLength: 20_000 },
    q: { type: 'string', maxLength: 200 },
    after: { type: 'string', maxLength: 4000 },
    before: { type: 'string', maxLength: 4000 },
    drill: { type: 'string', maxLength: 8000 },
    columns: { type: 'string', maxLength: 4000 },
    locale: { type: 'string' },
  },
} as const

const writeBody = {
  type: 'object',
  properties: { values: { type: 'object' }, version: { type: 'integer', minimum: 1 } },
  required: ['values'],
} as const

/** Generic record endpoints for every published form. */
export function recordRoutes(app: FastifyInstance, platform: Platform) {
  const { records } = platform
  const base = '/api/apps/:app/forms/:form'

  app.get<{ Params: FormParams; Querystring: ListQuery }>(
    `${base}/records`,
    { schema: { querystring: listQuery } },
    async (request) => {
      const { app: appKey, form } = request.params
      const { page, pageSize, sort, filter, q, after, before, drill } = request.query
      const actor = actorOf(request)
      const locale = localeOf(request)
      const figure = drill === undefined ? undefined : parseDrill(drill)
      const where = figure && await drillCondition(platform, actor, appKey, figure, form, locale)
      const listed = await records.list(actor, appKey, form, {
        page, pageSize, q, after, before, where,
        sort: parseSort(sort), filter: parseFilter(filter), locale,
      })
      if (!figure) return listed
      // Beside the records' own fields, what each adds to the figure (as of
      // the dashboard's date: an invoice's open amount then, not now).
      const shares = await drillShares(platform, actor, appKey, figure, listed.items.map((item) => item.id), locale, form)
      return { ...listed, drill: shares }
    },
  )

  // Which forms hold the records behind a figure, and how many: one for a report over one form,
  // each of a union's forms that has any (the web app asks the reader which to list).
  app.get<{ Params: { app: string }; Querystring: { drill: string } }>(
    '/api/apps/:app/drill/forms',
    { schema: { querystring: { ...drillQuery, required: ['drill'] } } },
    async (request) => {
      const { app: appKey } = request.params
      return drillForms(platform, actorOf(request), appKey, parseDrill(request.query.drill), localeOf(request))
    },
  )

  app.get<{ Params: RecordParams }>(`${base}/records/:id`, { schema: { params: idParams } }, async (request) => {
    const { app: appKey, form, id } = request.params
    return records.get(actorOf(request), appKey, form, id, { locale: localeOf(request) })
  })

  app.get<{ Params: RecordParams }>(`${base}/records/:id/history`, { schema: { params: idParams } }, async (request) => {
    const { app: appKey, form, id } = request.params
    return records.history(actorOf(request), appKey, form, id, { locale: localeOf(request) })
  })

  app.get<{
    Params: FormParams
    Querystring: { format?: string; sort?: string; filter?: string; q?: string; drill?: string; columns?: string }
  }>(
    `${base}/export`,
    { schema: { querystring: exportQuery } },
    async (request, reply) => {
      const { app: appKey, form: formKey } = request.params
      const { sort, filter, q, drill, columns } = request.query
      const locale = localeOf(request)
      const actor = actorOf(request)
      // A list showing the records behind a dashboard or report figure exports exactly those.
      const figure = drill === undefined ? undefined : parseDrill(drill)
      const where = figure && await drillCondition(platform, actor, appKey, figure, formKey, locale)
      const { form, records: found } = await records.export(actor, appKey, formKey, {
        q, sort: parseSort(sort), filter: parseFilter(filter), where, drill: drill === undefined ? undefined : JSON.parse(drill),
        locale, origin: originOf(request),
      })
      const xlsx = request.query.format === 'xlsx'
      // Named by the form as the reader reads it (发票（应收）-2026-12-06.xlsx), the key for
      // clients that take ASCII names only, and by the company's date, not the server's (UTC) one.
      const dated = `-${await platform.today()}.${xlsx ? 'xlsx' : 'csv'}`
      const label = localize(form.definition.label, locale).replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').trim() || form.key
      let shown = columns === undefined ? form : withColumns(form, columns, locale)
      let rows = found
      const extras: XlsxExtras = {}
      if (figure) {
        // The same share columns the drilled list shows beside the records, and (in Excel) their
        // totals under them and a sheet saying which figure they make up, as of which params.
        const shares = await drillShares(platform, actor, appKey, figure, found.map((record) => record.id), locale, formKey)
        const drilled = withDrillShares(shown, found, shares, locale, figure)
        ;({ form: shown, records: rows } = drilled)
        if (xlsx) {
          extras.about = await drillAbout(platform, appKey, figure, shares.params, locale, shares.filters)
          if (Object.keys(drilled.totals).length > 0) {
            const count = rows.length.toLocaleString('en')
            const label = locale === 'en' ? `Total (${count} records)` : `合计（${count} 条）`
            extras.totals = { label, values: drilled.totals }
          }
        }
      }
      return reply
        .header('content-type', xlsx ? XLSX_TYPE : 'text/csv; charset=utf-8')
        .header('content-disposition',
          `attachment; filename="${form.key}${dated}"; filename*=UTF-8''${encodeURIComponent(`${label}${dated}`)}`)
        .send(xlsx ? recordsToXlsx(shown, rows, locale, extras) : recordsToCsv(shown, rows, locale))
    },
  )

  app.post<{ Params: FormParams; Body: { values: Record<string, unknown> } }>(
    `${base}/records`,
    { schema: { body: writeBody } },
    async (request, reply) => {
      const { app: appKey, form } = request.params
      const created = await records.create(actorOf(request), appKey, form, request.body.values, {
        locale: localeOf(request), origin: originOf(request),
      })
      return reply.status(201).send(created)
    },
  )

  app.patch<{ Params: RecordParams; Body: { values: Record<string, unknown>; version?: number } }>(
    `${base}/records/:id`,
    { schema: { params: idParams, body: { ...writeBody, required: ['values', 'version'] } } },
    async (request) => {
      const { app: appKey, form, id } = request.params
      const { values, version } = request.body
      return records.update(actorOf(request), appKey, form, id, { version: version!, values }, {
        locale: localeOf(request), origin: originOf(request),
      })
    },
  )

  app.delete<{ Params: RecordParams; Querystring: { version?: number } }>(
    `${base}/records/:id`,
    { schema: { params: idParams, querystring: { type: 'object', properties: { version: { type: 'integer' } } } } },
    async (request, reply) => {
      const { app: appKey, form, id } = request.params
      await records.delete(actorOf(request), appKey, form, id, {
        version: request.query.version, locale: localeOf(request), origin: originOf(request),
      })
      return reply.status(204).send()
    },
  )

  app.get<{ Params: FormParams; Querystring: { q?: string; limit?: number; for?: string; values?: string } }>(
    `${base}/options`,
    { schema: { querystring: { type: 'object', properties: {
      q: { type: 'string', maxLength: 200 },
      limit: { type: 'integer', minimum: 1, maximum: 100 },
      for: { type: 'string', maxLength: 200, pattern: '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$' },
      values: { type: 'string', maxLength: 4_000 },
    } } } },
    async (request) => {
      const { app: appKey, form } = request.params
      const [pickingForm, pickingField] = request.query.for?.split('.') ?? []
      return records.options(actorOf(request), appKey, form, request.query.q, request.query.limit, {
        locale: localeOf(request),
        ...(pickingForm && pickingField ? { for: { form: pickingForm, field: pickingField } } : {}),
        ...(request.query.values === undefined ? {} : { values: jsonObjectParam('values', request.query.values) }),
      })
    },
  )
}

const drillQuery = {
  type: 'object',
  properties: { drill: { type: 'string', maxLength: 8000 }, locale: { type: 'string' } },
} as const

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const exportQuery = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: ['csv', 'xlsx'] },
    sort: { type: 'string', maxLength: 500 },
    filter: { type: 'string', maxLength: 20_000 },
    q: { type: 'string', maxLength: 200 },
    drill: { type: 'string', maxLength: 8000 },
    columns: { type: 'string', maxLength: 4000 },
    locale: { type: 'string' },
  },
} as const

/** The request's address and browser, for the audit trail. */
export function originOf(request: FastifyRequest): AuditOrigin {
  const { ip, userAgent } = authContextOf(request)
  return { ip, userAgent }
}

/** "-amount,number" → amount descending, then number ascending. */
export function parseSort(text: string | undefined): SortSpec[] | undefined {
  if (!text) return undefined
  return text.split(',').filter(Boolean).map((part) => {
    const desc = part.startsWith('-')
    return { field: desc ? part.slice(1) : part, dir: desc ? 'desc' : 'asc' }
  })
}

/**
 * `drill={"dashboard":"receivables","widget":"aging","params":{…},"filters":{…},"path":{…}}`
 * (a dashboard figure) or `drill={"report":"aging","params":{…},"path":{…}}` (a report's cell):
 * the records behind it, however many. `locale` is the language the figure was clicked in:
 * the path's values are matched in it (a ledger line's 期初余额), whatever the list's language.
 */
function parseDrill(text: string): FigureOrigin {
  let drill: unknown
  try {
    drill = JSON.parse(text)
  } catch {
    drill = undefined
  }
  const shape = drill as {
    dashboard?: unknown; widget?: unknown; report?: unknown; params?: unknown; filters?: unknown; path?: unknown; measure?: unknown
    locale?: unknown
  }
  const plain = (value: unknown) => value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))
  // What the web app adds for the page (what was clicked as shown, the dashboard's other drills) travels along unread.
  const known = ['dashboard', 'widget', 'report', 'params', 'filters', 'path', 'measure', 'locale', 'caption', 'drills']
  const stray = plain(drill) && drill !== undefined ? Object.keys(drill as object).find((key) => !known.includes(key)) : undefined
  if (stray !== undefined) {
    const en = `drill has no part "${stray.slice(0, 40)}" (it takes ${known.join(', ')})`
    throw new TesseraError('request.invalid', en, {
      issues: [{ field: `drill.${stray.slice(0, 40)}`, rule: 'unknown', message: en, expected: known }],
      messages: { 'zh-CN': `drill 没有「${stray.slice(0, 40)}」这一项（可用：${known.join('、')}）`, en },
    })
  }
  const common = typeof drill === 'object' && drill !== null && plain(shape.params) && plain(shape.path) &&
    (shape.measure === undefined || typeof shape.measure === 'string') &&
    (shape.locale === undefined || LOCALES.includes(shape.locale as Locale))
  const widget = common && typeof shape.dashboard === 'string' && typeof shape.widget === 'string' &&
    shape.report === undefined && plain(shape.filters)
  const report = common && typeof shape.report === 'string' && shape.dashboard === undefined &&
    shape.widget === undefined && shape.filters === undefined
  if (!widget && !report) {
    const expected = '{ dashboard, widget, params?, filters?, path?, measure?, locale? } or { report, params?, path?, measure?, locale? }' +
      ' (locale: zh-CN or en, the language the figure was clicked in)'
    const en = `drill must be JSON ${expected}, got ${JSON.stringify(text.slice(0, 80))}`
    throw new TesseraError('request.invalid', en, {
      issues: [{ field: 'drill', rule: 'type', message: `expected ${expected}` }],
      messages: { 'zh-CN': `drill 须为 JSON ${expected}，收到 ${JSON.stringify(text.slice(0, 80))}`, en },
    })
  }
  const params = (shape.params ?? {}) as Record<string, string>
  const path = (shape.path ?? {}) as Record<string, unknown>
  const measure = typeof shape.measure === 'string' ? { measure: shape.measure } : {}
  const locale = shape.locale === undefined ? {} : { locale: shape.locale as Locale }
  if (report) return { report: shape.report as string, params, path, ...measure, ...locale }
  const filters = (shape.filters ?? {}) as Record<string, string | string[]>
  return {
    dashboard: shape.dashboard as string, widget: shape.widget as string, query: { params, filters, path, ...measure }, ...locale,
  }
}

/** `values={"receipt":12,"date":"2026-11-30"}`: a JSON object, else refused naming the parameter. */
function jsonObjectParam(name: string, text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  const shown = JSON.stringify(text.slice(0, 80))
  const en = `${name} must be a JSON object of field values, got ${shown}`
  throw new TesseraError('request.invalid', en, {
    issues: [{ field: name, rule: 'type', message: 'expected a JSON object', expected: 'object', received: text.slice(0, 80) }],
    messages: { 'zh-CN': `${name} 须为字段值的 JSON 对象，收到 ${shown}`, en },
  })
}

function parseFilter(text: string | undefined): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new TesseraError('request.invalid', `filter must be a json-logic rule in JSON, got ${JSON.stringify(text.slice(0, 80))}`, {
      issues: [{ field: 'filter', rule: 'json', message: 'not valid JSON' }],
    })
  }
}

/**
 * The form as an export of the list's view shows it: only the fields named
 * in `columns` ("code,customer,amount"), in that order. A key the form does
 * not have is refused by name.
 */
function withColumns(form: PublishedForm, columns: string, locale: Locale): PublishedForm {
  const keys = columns.split(',').map((key) => key.trim()).filter((key) => key !== '')
  const fields = keys.map((key) => {
    const field = form.definition.fields.find((candidate) => candidate.key === key)
    if (!field) {
      const en = `columns: form "${form.key}" has no field "${key}"`
      throw new TesseraError('request.invalid', en, {
        details: { form: form.key, column: key },
        issues: [{
          field: 'query.columns', rule: 'unknown_field', message: en,
          expected: form.definition.fields.map((field) => field.key), received: key,
        }],
        messages: { 'zh-CN': `导出的列「${key}」不是表单「${localize(form.definition.label, locale)}」的字段` },
      })
    }
    return field
  })
  return fields.length === 0 ? form : { ...form, definition: { ...form.definition, fields } }
}
