import { DEFAULT_ATTACHMENT_MAX_SIZE, localize, type FieldDefinition, type Locale, type LocalizedText, type PublishedForm } from '@tessera/core'
import { isComputed, storedAs } from './computed-fields.js'
import { toJsonSchema, valueSchema, type JsonSchema } from './to-json-schema.js'

export interface OpenApiOptions {
  app: { key: string; label: LocalizedText }
  forms: readonly PublishedForm[]
  locale?: Locale
  /** Which operations each form offers the caller; all of them when absent. */
  actions?: (form: PublishedForm) => readonly string[]
}

/**
 * An OpenAPI 3.1 description of an app's record endpoints, generated from
 * the published forms: per form, the JSON Schema a write is validated with
 * (`<form>_write`, the same toJsonSchema the server runs) and the shape of
 * a record as read (`<form>_record`, computed fields included), and the
 * list, read, create, update and delete operations. Our schema keywords
 * (`x-decimal`, `x-kind`, …) stay in as extensions.
 *
 * @example
 * toOpenApi({ app, forms: [invoice] }).paths['/api/apps/customer-settlement/forms/invoice/records'].post
 */
export function toOpenApi(options: OpenApiOptions): JsonSchema {
  const locale = options.locale ?? 'zh-CN'
  const schemas: Record<string, JsonSchema> = { Error: errorSchema(), AttachmentRef: attachmentRefSchema() }
  const paths: Record<string, JsonSchema> = {}

  for (const form of options.forms) {
    const actions = new Set(options.actions?.(form) ?? ['read', 'create', 'update', 'delete'])
    const name = localize(form.definition.label, locale)
    const { $schema: _draft, ...write } = toJsonSchema(form.definition)
    schemas[`${form.key}_write`] = write
    schemas[`${form.key}_record`] = recordSchema(form)

    const base = `/api/apps/${options.app.key}/forms/${form.key}/records`
    const collection: JsonSchema = {}
    const item: JsonSchema = {}
    if (actions.has('read')) {
      collection.get = operation(`list_${form.key}`, `List ${name}`, listParameters(), page(form.key))
      item.get = operation(`get_${form.key}`, `Read one ${name}`, [idParameter()], ok(ref(`${form.key}_record`)))
    }
    if (actions.has('create')) {
      collection.post = {
        ...operation(`create_${form.key}`, `Create ${name}`, [], created(ref(`${form.key}_record`))),
        requestBody: body({ type: 'object', required: ['values'], properties: { values: ref(`${form.key}_write`) } }),
      }
    }
    if (actions.has('update')) {
      item.patch = {
        ...operation(`update_${form.key}`, `Change ${name}`, [idParameter()], ok(ref(`${form.key}_record`))),
        requestBody: body({
          type: 'object',
          required: ['version', 'values'],
          properties: { version: { type: 'integer', minimum: 1 }, values: partial(write) },
        }),
      }
    }
    if (actions.has('delete')) {
      item.delete = operation(`delete_${form.key}`, `Delete ${name}`, [idParameter()], { 204: { description: 'Deleted' } })
    }
    if (Object.keys(collection).length > 0) paths[base] = collection
    if (Object.keys(item).length > 0) paths[`${base}/{id}`] = item
    Object.assign(paths, filePaths(options.app.key, form, actions))
  }

  return {
    openapi: '3.1.0',
    info: { title: localize(options.app.label, locale), version: '1' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'tessera_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { token: [] }],
  }
}

/** A record as read: system fields, every field's value (null when empty) and link titles. */
function recordSchema(form: PublishedForm): JsonSchema {
  const values: Record<string, JsonSchema> = {}
  for (const field of form.definition.fields) values[field.key] = readSchema(field)
  return {
    type: 'object',
    required: ['id', 'version', 'values'],
    properties: {
      id: { type: 'integer' },
      version: { type: 'integer' },
      createdAt: { type: 'string', format: 'date-time' },
      createdBy: { type: 'string' },
      updatedAt: { type: 'string', format: 'date-time' },
      updatedBy: { type: 'string' },
      values: { type: 'object', properties: values },
      titles: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
    },
  }
}

function readSchema(field: FieldDefinition): JsonSchema {
  const title = localize(field.label, 'zh-CN')
  const value = field.type === 'attachment'
    ? { type: 'array', items: ref('AttachmentRef') }
    : valueSchema(isComputed(field) ? storedAs(field) : field)
  return { title, anyOf: [{ type: 'null' }, value], ...(isComputed(field) ? { readOnly: true } : {}) }
}

/** An uploaded file as a record holds it and an upload answers it. */
function attachmentRefSchema(): JsonSchema {
  return {
    type: 'object',
    required: ['id', 'name', 'size', 'type'],
    properties: {
      id: { type: 'integer', minimum: 1 },
      name: { type: 'string' },
      size: { type: 'integer', minimum: 0, description: 'Bytes' },
      type: { type: 'string', description: 'MIME type' },
    },
  }
}

/** Upload (per attachment field) and download (per record) of a form's files. */
function filePaths(app: string, form: PublishedForm, actions: Set<string>): Record<string, JsonSchema> {
  const fields = form.definition.fields.filter((field) => field.type === 'attachment')
  if (fields.length === 0) return {}
  const paths: Record<string, JsonSchema> = {}
  const base = `/api/apps/${app}/forms/${form.key}`
  if (actions.has('create') || actions.has('update')) {
    for (const field of fields) {
      const limits = field.type === 'attachment'
        ? { maxSize: field.maxSize ?? DEFAULT_ATTACHMENT_MAX_SIZE, accept: field.accept ?? [] }
        : {}
      paths[`${base}/fields/${field.key}/files`] = {
        post: {
          ...operation(`upload_${form.key}_${field.key}`, `Upload a file for ${field.key}`, [],
            created(ref('AttachmentRef'))),
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
              },
            },
          },
          'x-limits': limits,
        },
      }
    }
  }
  if (actions.has('read')) {
    const fileParameter = { name: 'file', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
    paths[`${base}/records/{id}/files/{file}`] = {
      get: operation(`download_${form.key}_file`, 'Download a file the record holds', [idParameter(), fileParameter], {
        200: { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
      }),
    }
  }
  return paths
}

/** A write schema for PATCH: the same fields, none required. */
function partial(write: JsonSchema): JsonSchema {
  const { required: _required, ...rest } = write
  return rest
}

function operation(operationId: string, summary: string, parameters: JsonSchema[], responses: JsonSchema) {
  const failures = Object.fromEntries(['400', '403', '404', '409'].map((status) =>
    [status, { description: 'An error with field issues', content: json(ref('Error')) }]))
  return { operationId, summary, parameters, responses: { ...responses, ...failures } }
}

function listParameters(): JsonSchema[] {
  const query = (name: string, schema: JsonSchema, description: string) => ({ name, in: 'query', schema, description })
  return [
    query('page', { type: 'integer', minimum: 1 }, 'Page, from 1'),
    query('pageSize', { type: 'integer', minimum: 1, maximum: 500 }, 'Records per page'),
    query('sort', { type: 'string' }, 'Field keys, "-" for descending: -amount,number'),
    query('q', { type: 'string' }, 'Text search'),
    query('filter', { type: 'string' }, 'A json-logic rule over field keys, as JSON'),
    query('after', { type: 'string' }, 'The `next` cursor of a page: the page after it (same sort)'),
    query('before', { type: 'string' }, 'The `prev` cursor of a page: the page before it (same sort)'),
  ]
}

function idParameter(): JsonSchema {
  return { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
}

function page(form: string): JsonSchema {
  return ok({
    type: 'object',
    properties: {
      items: { type: 'array', items: ref(`${form}_record`) },
      total: { type: 'integer' },
      totalExact: { type: 'boolean' },
      totalKind: { type: 'string', enum: ['exact', 'estimate', 'atLeast'] },
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
      next: { type: ['string', 'null'] },
      prev: { type: ['string', 'null'] },
    },
  })
}

function errorSchema(): JsonSchema {
  return {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          details: { type: 'object' },
          issues: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                field: { type: 'string' },
                rule: { type: 'string' },
                message: { type: 'string' },
                expected: {},
                received: {},
              },
            },
          },
        },
      },
    },
  }
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: JsonSchema) => ({ 'application/json': { schema } })
const body = (schema: JsonSchema) => ({ required: true, content: json(schema) })
const ok = (schema: JsonSchema) => ({ 200: { description: 'OK', content: json(schema) } })
const created = (schema: JsonSchema) => ({ 201: { description: 'Created', content: json(schema) } })
