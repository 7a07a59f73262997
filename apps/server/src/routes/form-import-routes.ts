import type { Readable } from 'node:stream'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { notFound, TesseraError } from '@tessera/core'
import { importErrorsCsv, type FormImportSpec, type TableFormat } from '@tessera/importer'
import { formImportSetup, importFormFile, type Platform } from '@tessera/platform'
import { actorOf, localeOf } from '../request-context.js'
import { IMPORT_BODY_LIMIT } from './import-routes.js'

type FormParams = { app: string; form: string }

interface ImportQuery {
  format?: TableFormat
  spec?: string
  dryRun?: boolean
  limit?: number
  job?: string
  fileName?: string
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Progress of running form imports by job id; kept a minute after the end. */
const jobs = new Map<string, { rows: number; done: boolean; actor: string }>()
const JOB_KEPT_MS = 60_000

/**
 * Imports of CSV and Excel files into one form. The body is the file
 * itself (`Content-Type: text/csv` or the .xlsx type), streamed into the
 * importer; the query says how to read it:
 *
 * - `format`: csv or xlsx (from the content type when absent);
 * - `spec`: the column mapping as JSON, `{"columns": {"金额": "amount"}, "key": ["number"]}`;
 *   without it, the one used last time for the form, or one guessed from
 *   the header by field labels;
 * - `dryRun=true` (with `limit`): check and preview, write nothing;
 * - `job`: an id the client chose, whose progress
 *   `GET /api/apps/:app/import-jobs/:job` reports while the upload runs.
 *
 * The answer is the import result: 200 when it succeeded, 422 with every
 * problem by line and file column when it was rejected.
 */
export function formImportRoutes(app: FastifyInstance, platform: Platform) {
  for (const type of [XLSX, 'application/octet-stream']) {
    if (app.hasContentTypeParser(type)) continue
    app.addContentTypeParser(type, { bodyLimit: IMPORT_BODY_LIMIT }, (_request, payload, done) => {
      done(null, payload)
    })
  }
  const base = '/api/apps/:app/forms/:form'

  app.get<{ Params: FormParams }>(`${base}/import/setup`, async (request) => {
    const { app: appKey, form } = request.params
    return formImportSetup(platform, actorOf(request), appKey, form, localeOf(request))
  })

  app.post<{ Params: FormParams; Querystring: ImportQuery; Body: Readable }>(
    `${base}/import`,
    { bodyLimit: IMPORT_BODY_LIMIT, schema: { querystring: importQuery } },
    async (request, reply) => {
      const { app: appKey, form } = request.params
      const { dryRun, limit, job, fileName } = request.query
      const actor = actorOf(request)
      const format = request.query.format ?? (request.headers['content-type']?.startsWith('text/csv') ? 'csv' : 'xlsx')
      const progress = job ? { rows: 0, done: false, actor: actor.id } : undefined
      if (job && progress) jobs.set(job, progress)

      try {
        const result = await importFormFile(platform, appKey, form, request.body, {
          actor,
          locale: localeOf(request),
          format,
          spec: parseSpec(request.query.spec),
          dryRun,
          limit,
          fileName: fileName ?? `upload.${format}`,
          onProgress: (rows) => progress && (progress.rows = rows),
        })
        if (progress) progress.rows = result.rows
        return reply.status(result.status === 'succeeded' ? 200 : 422).send(result)
      } finally {
        if (job && progress) {
          progress.done = true
          setTimeout(() => jobs.delete(job), JOB_KEPT_MS).unref()
        }
      }
    },
  )

  app.get<{ Params: { app: string; job: string } }>('/api/apps/:app/import-jobs/:job', async (request) => {
    const job = jobs.get(request.params.job)
    if (!job || job.actor !== actorOf(request).id) throw notFound('import job', request.params.job)
    return { rows: job.rows, done: job.done }
  })

  app.get<{ Params: { app: string; id: number } }>(
    '/api/apps/:app/import-runs/:id/errors',
    { schema: { params: { type: 'object', properties: { app: { type: 'string' }, id: { type: 'integer', minimum: 1 } } } } },
    async (request, reply) => {
      const actor = actorOf(request)
      const { rows } = await sql<{ actor: string; errors: unknown[] }>`
        select actor, errors from tessera.import_run
        where id = ${request.params.id} and app_key = ${request.params.app}`.execute(platform.database.db)
      const run = rows[0]
      // An error report quotes the file: only who imported it, or an administrator, reads it.
      if (!run || (run.actor !== actor.id && !actor.admin)) throw notFound('import run', request.params.id)
      const body = importErrorsCsv(run.errors as Parameters<typeof importErrorsCsv>[0], localeOf(request))
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${request.params.id}-errors.csv"`)
        .send(body)
    },
  )
}

const importQuery = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: ['csv', 'xlsx'] },
    spec: { type: 'string', maxLength: 20_000 },
    dryRun: { type: 'boolean' },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
    job: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' },
    fileName: { type: 'string', maxLength: 200 },
  },
  // A part it does not take (`key=code`, say) is refused, not ignored: rows
  // match by the `key` inside `spec`.
  additionalProperties: false,
} as const

function parseSpec(text: string | undefined): FormImportSpec | undefined {
  if (!text) return undefined
  try {
    return JSON.parse(text) as FormImportSpec
  } catch {
    throw new TesseraError('request.invalid', `spec must be a column mapping in JSON, got ${JSON.stringify(text.slice(0, 80))}`, {
      issues: [{ field: 'spec', rule: 'json', message: 'not valid JSON' }],
    })
  }
}
