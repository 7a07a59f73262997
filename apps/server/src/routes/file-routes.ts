import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  isTesseraError,
  localize,
  notFound,
  TesseraError,
  type Actor,
  type AttachmentField,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { acceptsFile, acceptText, maxFileSize } from '@tessera/forms'
import { fileTypeFromBuffer } from 'file-type'
import type { Platform } from '@tessera/platform'
import { formatBytes, idsOf, type FileStore, type StoredFile } from '@tessera/store'
import type { Readable } from 'node:stream'
import { actorOf, localeOf } from '../request-context.js'

type FieldParams = { app: string; form: string; field: string }
type DownloadParams = { app: string; form: string; id: number; file: number }

const id = { type: 'integer', minimum: 1 }

/**
 * Attachments: upload a file for one attachment field of a form (multipart,
 * one file, streamed to disk with the field's size cap and type check),
 * and download it through a record that holds it, which the reader must
 * be allowed to read (the permission engine decides, as for the record
 * itself). Uploaders may also fetch their own files before any record
 * holds them.
 */
export function fileRoutes(app: FastifyInstance, platform: Platform, files: FileStore) {
  app.post<{ Params: FieldParams }>(
    '/api/apps/:app/forms/:form/fields/:field/files',
    async (request, reply) => {
      const actor = actorOf(request)
      const locale = localeOf(request)
      const { app: appKey, form: formKey, field: fieldKey } = request.params
      const form = await platform.catalog.getForm(appKey, formKey)
      const field = attachmentField(form, fieldKey, locale)
      await assertMayWrite(platform, actor, form, field, locale)
      const label = localize(field.label, locale)
      if (!request.isMultipart()) throw rejected(field, label, locale, 'multipart')

      const maxSize = maxFileSize(field)
      let saved: Awaited<ReturnType<FileStore['save']>> | undefined
      try {
        // Text parts are passed over; a second file refuses the upload.
        // throwFileSizeLimit is honoured by parts() as by file(), though its type leaves it out:
        // the store then sees the truncated stream and answers file.too_large.
        const options = { limits: { fileSize: maxSize, files: 2, fields: 20 }, throwFileSizeLimit: false }
        const parts = request.parts(options as Parameters<typeof request.parts>[0])
        for await (const part of parts) {
          if (part.type !== 'file') continue
          if (saved) {
            part.file.resume()
            throw rejected(field, label, locale, 'multipart')
          }
          if (!acceptsFile(field, part.filename, part.mimetype)) {
            part.file.resume()
            throw rejected(field, label, locale, 'type', { name: part.filename, type: part.mimetype })
          }
          saved = await files.save(part.file, {
            name: part.filename,
            mimeType: part.mimetype || 'application/octet-stream',
            createdBy: actor.id,
            maxSize,
            truncated: () => part.file.truncated,
            field: { key: field.key, label },
            locale,
            check: (head) => checkContent(field, label, locale, { name: part.filename, type: part.mimetype }, head),
          })
        }
      } catch (error) {
        if (saved) await files.discard(saved.id)
        // The multipart parser's own refusals (too many parts, a broken body) are the upload's.
        if (isTesseraError(error)) throw error
        throw rejected(field, label, locale, 'multipart')
      }
      if (!saved) throw rejected(field, label, locale, 'multipart')
      return reply.status(201).send(saved)
    },
  )

  app.get<{ Params: DownloadParams }>(
    '/api/apps/:app/forms/:form/records/:id/files/:file',
    {
      schema: {
        params: {
          type: 'object',
          properties: { app: { type: 'string' }, form: { type: 'string' }, id, file: id },
          required: ['app', 'form', 'id', 'file'],
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const { app: appKey, form: formKey, id: recordId, file: fileId } = request.params
      // Read through the permission engine: 404 for a record out of reach,
      // and fields hidden from the reader are not in `values`.
      const record = await platform.records.get(actor, appKey, formKey, recordId, { locale: localeOf(request) })
      const form = await platform.catalog.getForm(appKey, formKey)
      const held = form.definition.fields.some((field) =>
        field.type === 'attachment' && idsOf(field, record.values[field.key]).includes(fileId))
      if (!held) throw notFound('file', fileId)
      return send(reply, await files.open(fileId))
    },
  )

  app.get<{ Params: { file: number } }>(
    '/api/files/:file',
    { schema: { params: { type: 'object', properties: { file: id }, required: ['file'] } } },
    async (request, reply) => {
      const actor = actorOf(request)
      const found = await files.find(request.params.file)
      // Someone else's file is "not found": its existence is no one else's business.
      if (!found || (found.createdBy !== actor.id && !actor.admin)) throw notFound('file', request.params.file)
      return send(reply, await files.open(found.id))
    },
  )
}

/** A file may be added only where the actor could then attach it: a field they may write. */
async function assertMayWrite(platform: Platform, actor: Actor, form: PublishedForm, field: AttachmentField, locale: Locale) {
  const grants = await platform.grants(actor, form.app)
  if (!grants.can(form.key, 'create') && !grants.can(form.key, 'update')) {
    throw new TesseraError('auth.forbidden', `you may not add files to records of form "${form.key}"`, {
      details: { form: form.key, action: 'upload' },
      messages: {
        'zh-CN': `你无权为表单「${localize(form.definition.label, locale)}」的记录上传文件`,
        en: `you may not add files to records of form "${form.key}"`,
      },
    })
  }
  const rule = grants.fields(form.key).get(field.key)
  if (rule === undefined) return
  const zh = localize(field.label, 'zh-CN')
  const en = localize(field.label, 'en')
  const said = rule === 'hidden'
    ? { zh: `「${zh}」对你不可见，不能上传文件`, en: `"${en}" is hidden from you, so no file can be added to it` }
    : { zh: `「${zh}」对你只读，不能上传文件`, en: `"${en}" is read-only for you, so no file can be added to it` }
  throw new TesseraError('auth.forbidden', said.en, {
    details: { form: form.key, field: field.key, action: 'upload' },
    issues: [{ field: field.key, rule, message: locale === 'en' ? said.en : said.zh }],
    messages: { 'zh-CN': said.zh, en: said.en },
  })
}

function attachmentField(form: PublishedForm, key: string, locale: Locale): AttachmentField {
  const field = form.definition.fields.find((candidate) => candidate.key === key)
  if (field?.type === 'attachment') return field
  const problem = field ? `is a ${field.type} field, not an attachment field` : 'is not a field of the form'
  throw new TesseraError('request.invalid', `"${key}" of form "${form.key}" ${problem}`, {
    details: { form: form.key, field: key },
    messages: {
      'zh-CN': `表单「${localize(form.definition.label, locale)}」没有名为「${key}」的附件字段`,
      en: `"${key}" of form "${form.key}" ${problem}`,
    },
  })
}

/**
 * Formats whose files always start with a signature file-type knows: a
 * file named or declared as one of these whose bytes show no signature is
 * not what it says. Text formats (CSV, TXT, XML…) have none and pass.
 */
const SIGNED = new Set(['pdf', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'tif', 'tiff', 'zip', 'rar', '7z',
  'gz', 'xlsx', 'docx', 'pptx', 'xls', 'doc', 'ppt', 'mp3', 'mp4', 'mov', 'avi', 'ofd'])

/** One name for the spellings of a format (jpeg and jpg; tiff and tif; the ISO media files). */
function family(ext: string): string {
  return ({ jpeg: 'jpg', tiff: 'tif', mov: 'mp4', qt: 'mp4', m4v: 'mp4' } as Record<string, string>)[ext] ?? ext
}

/** Picture formats, which may stand in for one another under a name. */
const PICTURES = new Set(['png', 'jpg', 'gif', 'webp', 'bmp', 'tif'])

/** Container formats file-type may name instead of what they hold. */
const CONTAINERS: Record<string, string[]> = {
  zip: ['xlsx', 'docx', 'pptx', 'ofd', 'zip'],
  cfb: ['xls', 'doc', 'ppt', 'msg'],
}

/**
 * A field that limits file types also looks at what the file is, not only
 * at its name and the type the browser declared: a program renamed
 * "invoice.pdf" is refused. The bytes' type (file-type reads the
 * signature) must itself be accepted; a file whose name or declared type
 * is a signed format must show that signature.
 */
async function checkContent(
  field: AttachmentField,
  label: string,
  locale: Locale,
  file: { name: string; type: string },
  head: Buffer,
): Promise<void> {
  if (!field.accept || field.accept.length === 0) return
  const found = await fileTypeFromBuffer(head)
  const named = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase()
  const declared = file.type.split('/')[1]?.toLowerCase()
  if (found) {
    const names = [found.ext, ...(CONTAINERS[found.ext] ?? [])]
    if (!names.some((ext) => acceptsFile(field, `file.${ext}`, found.mime))) {
      throw rejected(field, label, locale, 'content', { ...file, found: found.mime })
    }
    // A signed format it is named or declared as must be the one its bytes
    // show: a PDF named photo.png is neither accepted as an image nor stored
    // as one. A picture under another picture's name (a PNG saved as .jpg)
    // is still a picture.
    const shown = new Set(names.map(family))
    const picture = (ext: string) => PICTURES.has(family(ext))
    for (const said of [named, declared]) {
      if (said && SIGNED.has(said) && !shown.has(family(said)) && !(picture(said) && [...shown].some(picture))) {
        throw rejected(field, label, locale, 'content', { ...file, found: found.mime })
      }
    }
    return
  }
  if ((named && SIGNED.has(named)) || (declared && SIGNED.has(declared))) {
    throw rejected(field, label, locale, 'content', { ...file, found: 'unknown' })
  }
}

function rejected(
  field: AttachmentField,
  label: string,
  locale: Locale,
  reason: 'multipart' | 'type' | 'content',
  file?: { name: string; type: string; found?: string },
): TesseraError {
  const accept = field.accept ?? []
  const what = file?.found === 'unknown' ? '无法识别其类型' : `实际是 ${file?.found}`
  const zh = reason === 'multipart'
    ? `「${label}」的上传须是 multipart/form-data，且只含一个文件`
    : reason === 'content'
      ? `「${label}」只接受 ${acceptText(accept, 'zh-CN')} 类型的文件；「${file!.name}」的内容${what}，与其名称或类型不符`
      : `「${label}」只接受 ${acceptText(accept, 'zh-CN')} 类型的文件，「${file!.name}」是 ${file!.type}`
  const en = reason === 'multipart'
    ? `an upload for "${label}" must be multipart/form-data holding one file`
    : reason === 'content'
      ? `"${label}" accepts only these files: ${acceptText(accept, 'en')}; the content of "${file!.name}" is ${file!.found === 'unknown' ? 'not recognised' : file!.found}, not what its name or type says`
      : `"${label}" accepts only these files: ${acceptText(accept, 'en')}; "${file!.name}" is ${file!.type}`
  return new TesseraError('file.rejected', en, {
    details: { field: field.key, accept, maxSize: maxFileSize(field), maxSizeText: formatBytes(maxFileSize(field)) },
    issues: [{
      field: field.key,
      rule: reason === 'multipart' ? 'multipart' : 'accept',
      message: locale === 'en' ? en : zh,
      expected: reason === 'multipart' ? { contentType: 'multipart/form-data', files: 1 } : { accept },
      ...(file ? { received: file } : {}),
    }],
    messages: { 'zh-CN': zh, en },
  })
}

function send(reply: FastifyReply, opened: { file: StoredFile; stream: Readable }) {
  const { file, stream } = opened
  const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return reply
    .header('content-type', file.type)
    .header('content-length', String(file.size))
    .header('x-content-type-options', 'nosniff')
    // Always a download: an uploaded HTML or SVG file must not run as our page.
    .header('content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('cache-control', 'private, max-age=0')
    .send(stream)
}
