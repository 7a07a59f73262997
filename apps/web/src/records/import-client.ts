import type { Locale } from '@tessera/core'
import { apiPath, buildUrl, currentCsrfToken } from '../api/api-client.js'
import { ApiError, toApiError } from '../api/api-error.js'

/** How a file's columns become a form's fields (the server's FormImportSpec). */
export interface ImportSpec {
  columns: Record<string, string>
  key?: string[]
}

export interface ImportProblem {
  line: number
  column: string
  value?: unknown
  message: string
}

/** The answer of POST …/forms/:form/import (200 succeeded, 422 rejected). */
export interface ImportAnswer {
  status: 'succeeded' | 'rejected'
  dryRun: boolean
  rows: number
  header: string[]
  spec: ImportSpec
  preview: { line: number; values: Record<string, unknown>; titles?: Record<string, string> }[]
  forms: Record<string, { created: number; updated: number; unchanged: number }>
  errors: ImportProblem[]
  errorCount: number
  runId: number
}

/** GET …/forms/:form/import/setup */
export interface ImportSetup {
  /** `choices`: a select field's codes and their labels. */
  fields: { key: string; label: string; type: string; required: boolean; unique: boolean; choices?: Record<string, string> }[]
  /** The unique fields and unique sets rows can be matched by. */
  keys: string[][]
  remembered?: ImportSpec & { format?: string }
}

export interface UploadOptions {
  app: string
  form: string
  file: File
  locale: Locale
  spec?: ImportSpec
  dryRun?: boolean
  limit?: number
  /** An id of our choosing, to ask the server how far it got. */
  job?: string
  /** Share of the file sent so far, 0…1. */
  onUpload?(share: number): void
}

/** The format of a file by its name: .xlsx is Excel, anything else CSV. */
export function fileFormat(name: string): 'csv' | 'xlsx' {
  return name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv'
}

/**
 * Sends a file to a form's import with XMLHttpRequest, whose upload
 * progress fetch cannot report. Resolves with the import answer for 200
 * and 422 alike; other failures reject with an ApiError.
 */
export function uploadImport(options: UploadOptions): Promise<ImportAnswer> {
  const format = fileFormat(options.file.name)
  const url = buildUrl(apiPath('apps', options.app, 'forms', options.form, 'import'), {
    format,
    spec: options.spec ? JSON.stringify(options.spec) : undefined,
    dryRun: options.dryRun ? 'true' : undefined,
    limit: options.limit,
    job: options.job,
    fileName: options.file.name,
  })

  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('POST', url)
    request.setRequestHeader('Accept', 'application/json')
    request.setRequestHeader('Accept-Language', options.locale)
    const type = format === 'csv'
      ? 'text/csv'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    request.setRequestHeader('Content-Type', type)
    const token = currentCsrfToken()
    if (token) request.setRequestHeader('X-CSRF-Token', token)

    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onUpload?.(event.loaded / event.total)
    }
    request.onerror = () => reject(new ApiError(0, 'network', `Could not reach the server for ${url}`))
    request.onload = () => {
      const body = parse(request.responseText)
      if (request.status === 200 || (request.status === 422 && isAnswer(body))) resolve(body as ImportAnswer)
      else reject(toApiError(request.status, body, request.responseText))
    }
    request.send(options.file)
  })
}

/** Rows the server has read so far for an import job. */
export async function importProgress(app: string, job: string): Promise<{ rows: number; done: boolean } | undefined> {
  const response = await fetch(buildUrl(apiPath('apps', app, 'import-jobs', job)))
  return response.ok ? ((await response.json()) as { rows: number; done: boolean }) : undefined
}

/** Where the problems of an import run download as CSV. */
export function errorReportUrl(app: string, runId: number): string {
  return buildUrl(apiPath('apps', app, 'import-runs', runId, 'errors'))
}

/** A job id the server accepts: letters and digits, long enough not to collide. */
export function newJobId(): string {
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isAnswer(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'status' in body && 'errors' in body
}
