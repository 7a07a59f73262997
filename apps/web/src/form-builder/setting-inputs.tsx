import type { LocalizedText } from '@tessera/core'
import { Checkbox, Form, Input, InputNumber } from 'antd'
import { useEffect, useState, type ReactNode } from 'react'
import { useLocale } from '../locale-context.js'
import { enText, labelOf, zhText } from './design-issues.js'

/** A copy of an object with `changes` applied and undefined properties dropped. */
export function patched<T extends object>(value: T, changes: Partial<T>): T {
  const next = { ...value, ...changes } as Record<string, unknown>
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key]
  return next as T
}

export function Setting({ label, hook, extra, error, children }: {
  label: string
  hook: string
  extra?: ReactNode
  /** A problem with what is typed, shown under it. */
  error?: string
  children: ReactNode
}) {
  return (
    <Form.Item label={label} extra={extra} className="fb-setting" data-setting={hook}
      {...(error ? { validateStatus: 'error' as const, help: error } : {})}>
      {children}
    </Form.Item>
  )
}

export function NumberSetting({ label, hook, value, onChange, min, max }: {
  label: string
  hook: string
  value: number | undefined
  onChange(value: number | undefined): void
  min?: number
  max?: number
}) {
  return (
    <Setting label={label} hook={hook}>
      <InputNumber size="small" value={value} min={min} max={max} precision={0} aria-label={label}
        style={{ width: '100%' }} onChange={(next) => onChange(next === null ? undefined : Number(next))} />
    </Setting>
  )
}

/** Text committed as typed; empty means absent. */
export function TextSetting({ label, hook, value, onChange, placeholder, extra }: {
  label: string
  hook: string
  value: string | undefined
  onChange(value: string | undefined): void
  placeholder?: string
  extra?: ReactNode
}) {
  return (
    <Setting label={label} hook={hook} extra={extra}>
      <Input size="small" value={value ?? ''} placeholder={placeholder} aria-label={label}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
    </Setting>
  )
}

export function CheckSetting({ label, hook, value, onChange, disabled }: {
  label: string
  hook: string
  value: boolean | undefined
  onChange(value: boolean | undefined): void
  disabled?: boolean
}) {
  return (
    <div className="fb-check" data-setting={hook}>
      <Checkbox checked={value === true} disabled={disabled}
        onChange={(e) => onChange(e.target.checked ? true : undefined)}>{label}</Checkbox>
    </div>
  )
}

/** A label in Chinese and English. */
export function LabelSetting({ value, onChange, hook = 'label' }: {
  value: LocalizedText
  onChange(value: LocalizedText): void
  hook?: string
}) {
  const { t } = useLocale()
  return (
    <div className="fb-label-pair">
      <TextSetting label={t('fb.labelZh')} hook={`${hook}-zh`} value={zhText(value)}
        onChange={(zh) => onChange(labelOf(zh ?? '', enText(value)))} />
      <TextSetting label={t('fb.labelEn')} hook={`${hook}-en`} value={enText(value)}
        onChange={(en) => onChange(labelOf(zhText(value), en ?? ''))} />
    </div>
  )
}

/** A description in Chinese and English; with both texts empty there is none. */
export function DescriptionSetting({ value, onChange, hook = 'description', help, labels }: {
  value: LocalizedText | undefined
  onChange(value: LocalizedText | undefined): void
  hook?: string
  help?: string
  /** The two boxes' labels, Chinese then English (else "description"). */
  labels?: [string, string]
}) {
  const { t } = useLocale()
  const set = (zh: string, en: string) => onChange(zh.trim() === '' && en.trim() === '' ? undefined : labelOf(zh, en))
  const box = (label: string, text: string, change: (text: string) => void, suffix: string) => (
    <Setting label={label} hook={`${hook}-${suffix}`}>
      <Input.TextArea size="small" value={text} aria-label={label} autoSize={{ minRows: 1, maxRows: 4 }}
        onChange={(e) => change(e.target.value)} />
    </Setting>
  )
  return (
    <>
      <div className="fb-label-pair">
        {box(labels?.[0] ?? t('fb.descriptionZh'), zhText(value), (zh) => set(zh, enText(value)), 'zh')}
        {box(labels?.[1] ?? t('fb.descriptionEn'), enText(value), (en) => set(zhText(value), en), 'en')}
      </div>
      {help && <div className="fb-muted fb-setting-help">{help}</div>}
    </>
  )
}

/**
 * A key typed freely and committed when the box is left or Enter is
 * pressed, so a half-typed key never renames anything.
 */
export function KeySetting({ value, onCommit, label, hook = 'key', extra, taken }: {
  value: string
  onCommit(value: string): void
  label: string
  hook?: string
  extra?: ReactNode
  /**
   * Says why a key cannot be had (another field holds it), or undefined.
   * Such a key is not committed: two fields of one key would be one field
   * to every edit that finds a field by its key.
   */
  taken?(key: string): string | undefined
}) {
  const [text, setText] = useState(value)
  const [error, setError] = useState<string>()
  useEffect(() => {
    setText(value)
    setError(undefined)
  }, [value])
  const commit = () => {
    const key = text.trim()
    const problem = key && key !== value ? taken?.(key) : undefined
    setError(problem)
    if (problem) return
    if (key && key !== value) onCommit(key)
    else setText(value)
  }
  return (
    <Setting label={label} hook={hook} extra={extra} error={error}>
      <Input size="small" value={text} aria-label={label} className="fb-key-input"
        status={error ? 'error' : undefined}
        onChange={(e) => setText(e.target.value)} onBlur={commit}
        onPressEnter={(e) => {
          e.preventDefault()
          commit()
        }} />
    </Setting>
  )
}
