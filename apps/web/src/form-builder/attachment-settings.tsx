import type { AttachmentField, Locale } from '@tessera/core'
import { DEFAULT_ATTACHMENT_MAX_SIZE } from '@tessera/core'
import { InputNumber, Select } from 'antd'
import { useLocale } from '../locale-context.js'
import { bytesOf, megabytes } from './setting-edits.js'
import { CheckSetting, patched, Setting } from './setting-inputs.js'

/** Common file types offered; any other MIME type or extension may be typed. */
const PRESETS: [value: string, zh: string, en: string][] = [
  ['image/*', '图片', 'Images'],
  ['application/pdf', 'PDF', 'PDF'],
  ['.pdf', 'PDF 扩展名', 'PDF extension'],
  ['.doc', 'Word', 'Word'],
  ['.docx', 'Word', 'Word'],
  ['.xls', 'Excel', 'Excel'],
  ['.xlsx', 'Excel', 'Excel'],
  ['.ppt', 'PowerPoint', 'PowerPoint'],
  ['.pptx', 'PowerPoint', 'PowerPoint'],
  ['text/csv', 'CSV', 'CSV'],
  ['.txt', '文本', 'Text'],
  ['.zip', '压缩包', 'Archive'],
  ['.ofd', '电子发票（OFD）', 'E-invoice (OFD)'],
]

/**
 * An attachment field's limits: one file or several, the largest file (typed
 * in MB, stored in bytes) and the file types taken (none: any). The server
 * refuses uploads past them; the generated form warns before uploading. A
 * size out of range is kept as typed and shown as a problem of the design
 * (the definition's check), not clamped to the nearest allowed one.
 */
export function AttachmentSettings({ field, onChange }: {
  field: AttachmentField
  onChange(field: AttachmentField): void
}) {
  const { locale, t } = useLocale()
  const set = (changes: Partial<AttachmentField>) => onChange(patched(field, changes))
  const fallback = megabytes(DEFAULT_ATTACHMENT_MAX_SIZE)
  return (
    <>
      <CheckSetting label={t('fb.multiple')} hook="multiple" value={field.multiple}
        onChange={(multiple) => set({ multiple })} />
      <Setting label={t('fb.maxSize')} hook="maxSize" extra={t('fb.maxSizeDefault', { size: String(fallback) })}>
        <InputNumber size="small" aria-label={t('fb.maxSize')} style={{ width: '100%' }}
          value={field.maxSize === undefined ? null : megabytes(field.maxSize)} placeholder={String(fallback)}
          step={1}
          onChange={(next) => set({ maxSize: next === null ? undefined : bytesOf(Number(next)) })} />
      </Setting>
      <Setting label={t('fb.accept')} hook="accept" extra={t('fb.acceptHelp')}>
        <Select size="small" mode="tags" allowClear aria-label={t('fb.accept')} value={field.accept ?? []}
          tokenSeparators={[',', '，', ' ']} options={acceptOptions(field.accept ?? [], locale)}
          onChange={(values: string[]) => {
            const accept = [...new Set(values.map((value) => value.trim()).filter(Boolean))]
            set({ accept: accept.length > 0 ? accept : undefined })
          }} />
      </Setting>
    </>
  )
}

function acceptOptions(chosen: readonly string[], locale: Locale) {
  const known = PRESETS.map(([value, zh, en]) => ({ value, label: `${value} · ${locale === 'en' ? en : zh}` }))
  const typed = chosen.filter((value) => !PRESETS.some(([preset]) => preset === value))
  return [...known, ...typed.map((value) => ({ value, label: value }))]
}
