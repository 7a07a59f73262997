import type { AttachmentField, AttachmentRef } from '@tessera/core'
import { acceptsFile, acceptText, maxFileSize } from '@tessera/forms'
import { App, Button, Upload, type UploadFile, type UploadProps } from 'antd'
import { useRef, useState } from 'react'
import { apiPath, buildUrl, currentCsrfToken } from '../api/api-client.js'
import { toApiError } from '../api/api-error.js'
import { useLocale } from '../locale-context.js'

type FilesValue = AttachmentRef[] | null
type UploadRequestOption = Parameters<NonNullable<UploadProps['customRequest']>>[0]

interface AttachmentInputProps {
  id?: string
  value?: FilesValue
  onChange?(value: FilesValue): void
  field: AttachmentField
  app: string
  form: string
  /** The record being edited: its saved files download through it. */
  recordId?: number
  status?: 'error'
  disabled?: boolean
}

/** "10 MB" from bytes. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`
  return `${bytes} B`
}

/**
 * The files of an attachment field: each file is uploaded as soon as it is
 * chosen (POST …/fields/<key>/files, with progress), and the field's value
 * becomes the list of uploaded files, saved with the record. Removing a
 * file takes it off the list. Files the saved record holds download
 * through the record (so the server checks the reader may read it);
 * files uploaded just now through the uploader's own file route.
 */
export function AttachmentInput(props: AttachmentInputProps) {
  const { value, onChange, field, app, form, recordId, disabled } = props
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const files = Array.isArray(value) ? value : []
  const latest = useRef(files)
  latest.current = files
  const [saved] = useState(() => new Set(files.map((file) => file.id)))
  const [pending, setPending] = useState<UploadFile[]>([])
  // An uploaded file keeps the uid it had while uploading, so the list
  // shows one entry turning done rather than one leaving and one arriving.
  const uids = useRef(new Map<number, string>())
  const uidOf = (file: AttachmentRef) => uids.current.get(file.id) ?? String(file.id)
  const limit = maxFileSize(field)

  const url = (file: AttachmentRef) => recordId !== undefined && saved.has(file.id)
    ? buildUrl(apiPath('apps', app, 'forms', form, 'records', recordId, 'files', file.id))
    : buildUrl(apiPath('files', file.id))

  const fileList: UploadFile[] = [
    ...files.map((file) => ({
      uid: uidOf(file), name: file.name, status: 'done' as const, url: url(file), size: file.size,
    })),
    ...pending,
  ]

  const upload = (options: UploadRequestOption) => {
    const file = options.file as File & { uid: string }
    const request = new XMLHttpRequest()
    request.open('POST', buildUrl(apiPath('apps', app, 'forms', form, 'fields', field.key, 'files')))
    request.setRequestHeader('Accept', 'application/json')
    request.setRequestHeader('Accept-Language', locale)
    const token = currentCsrfToken()
    if (token) request.setRequestHeader('X-CSRF-Token', token)
    const update = (patch: Partial<UploadFile>) => setPending((list) =>
      list.map((entry) => (entry.uid === file.uid ? { ...entry, ...patch } : entry)))
    setPending((list) => [...list, { uid: file.uid, name: file.name, status: 'uploading', percent: 0 }])
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) update({ percent: Math.round((event.loaded / event.total) * 100) })
    }
    request.onerror = () => update({ status: 'error' })
    request.onload = () => {
      const body = parseJson(request.responseText)
      if (request.status !== 201) {
        const error = toApiError(request.status, body, request.responseText)
        update({ status: 'error', response: error.message })
        message.error(t('files.failed', { name: file.name, reason: error.message }))
        return
      }
      const ref = body as AttachmentRef
      uids.current.set(ref.id, file.uid)
      setPending((list) => list.filter((entry) => entry.uid !== file.uid))
      onChange?.(field.multiple ? [...latest.current, ref] : [ref])
    }
    const data = new FormData()
    data.append('file', file, file.name)
    request.send(data)
  }

  const accept = field.accept?.join(',')
  const hint = t('files.limits', { size: sizeText(limit) }) +
    (accept ? t('files.accept', { accept: acceptText(field.accept!, locale) }) : '')

  return (
    <div className="attachment-input" data-control="attachment">
      <Upload
        fileList={fileList}
        accept={accept}
        disabled={disabled}
        multiple={field.multiple}
        customRequest={upload}
        beforeUpload={(file) => {
          // The server checks again; this only spares a doomed upload.
          if (file.size > limit) {
            message.error(t('files.tooLarge', { name: file.name, size: sizeText(limit) }))
            return Upload.LIST_IGNORE
          }
          if (!acceptsFile(field, file.name, file.type)) {
            const list = acceptText(field.accept!, locale)
            message.error(t('files.wrongType', { name: file.name, accept: list }))
            return Upload.LIST_IGNORE
          }
          return true
        }}
        onRemove={(entry) => {
          if (pending.some((one) => one.uid === entry.uid)) {
            setPending((list) => list.filter((one) => one.uid !== entry.uid))
            return true
          }
          const rest = latest.current.filter((file) => uidOf(file) !== entry.uid)
          onChange?.(rest.length > 0 ? rest : null)
          return true
        }}
      >
        {!disabled && (
          <Button data-action="upload">{t('files.upload')}</Button>
        )}
      </Upload>
      <div className="attachment-hint">{hint}</div>
    </div>
  )
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
