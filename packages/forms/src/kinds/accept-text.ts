import type { Locale } from '@tessera/core'

/** Names people know for the kinds of files an attachment field takes; "$1" is the captured format. */
const KINDS: { match: RegExp; zh: string; en: string }[] = [
  { match: /^image\/\*$/, zh: '图片', en: 'images' },
  { match: /^(?:application\/pdf|\.pdf)$/i, zh: 'PDF', en: 'PDF' },
  { match: /^(?:\.docx?|application\/msword|application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document)$/i, zh: 'Word', en: 'Word' },
  { match: /^(?:\.xlsx?|application\/vnd\.ms-excel|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)$/i, zh: 'Excel', en: 'Excel' },
  { match: /^(?:\.csv|text\/csv)$/i, zh: 'CSV', en: 'CSV' },
  { match: /^(?:\.ofd|application\/ofd)$/i, zh: 'OFD', en: 'OFD' },
  { match: /^(?:\.zip|application\/zip)$/i, zh: '压缩包', en: 'ZIP archives' },
  { match: /^(?:image\/|\.)(png|jpe?g|gif|webp)$/i, zh: '$1 图片', en: '$1 images' },
]

/**
 * The `accept` list of an attachment field as a reader says it:
 * ["application/pdf", ".pdf", "image/*"] → "PDF、图片". What has no common
 * name is shown as written.
 */
export function acceptText(accept: readonly string[], locale: Locale): string {
  const names: string[] = []
  for (const entry of accept) {
    const kind = KINDS.find((one) => one.match.test(entry.trim()))
    let name = entry
    if (kind) {
      const format = (kind.match.exec(entry.trim())?.[1] ?? '').toUpperCase().replace('JPEG', 'JPG')
      name = (locale === 'en' ? kind.en : kind.zh).replace('$1', format)
    }
    if (!names.includes(name)) names.push(name)
  }
  return names.join(locale === 'en' ? ', ' : '、')
}
