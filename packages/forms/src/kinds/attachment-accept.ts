import { DEFAULT_ATTACHMENT_MAX_SIZE, type AttachmentField } from '@tessera/core'

/**
 * Whether an attachment field takes a file of this name and MIME type.
 * `accept` lists MIME types ("application/pdf"), families ("image/*") and
 * extensions (".pdf", compared without case); a file fits when any entry
 * matches. A field without `accept` takes any file.
 *
 * @example
 * acceptsFile({ accept: ['.pdf', 'image/*'] }, 'scan.PDF', 'application/octet-stream') // true
 */
export function acceptsFile(
  field: Pick<AttachmentField, 'accept'>,
  name: string,
  mimeType: string,
): boolean {
  if (!field.accept || field.accept.length === 0) return true
  const lowerName = name.toLowerCase()
  const mime = mimeType.toLowerCase()
  return field.accept.some((entry) => {
    const wanted = entry.toLowerCase()
    if (wanted.startsWith('.')) return lowerName.endsWith(wanted)
    if (wanted.endsWith('/*')) return mime.startsWith(wanted.slice(0, -1))
    return mime === wanted
  })
}

/** The size limit of an attachment field, in bytes. */
export function maxFileSize(field: Pick<AttachmentField, 'maxSize'>): number {
  return field.maxSize ?? DEFAULT_ATTACHMENT_MAX_SIZE
}
