import type {
  FormDefinition,
  LineFieldDefinition,
  LinesField,
  LookupField,
  RollupField,
} from '@tessera/core'
import { localize } from '@tessera/core'
import { Button, Card, Radio, Select, Space } from 'antd'
import { useState } from 'react'
import type { NamedItem } from '../api/types.js'
import type { MessageKey } from '../i18n.js'
import { useLocale } from '../locale-context.js'
import { useBuilderApp } from './builder-context.js'
import { zhText } from './design-issues.js'
import { usePublishedDefinition } from './form-builder-api.js'
import { LINE_TYPES, newLineField, typeName } from './field-palette.js'
import { CheckSetting, KeySetting, LabelSetting, NumberSetting, patched, Setting } from './setting-inputs.js'
import { TypeSettings } from './type-settings.js'

interface LinesEditorProps {
  field: LinesField
  definition: FormDefinition
  forms: readonly NamedItem[]
  onLines(lines: LineFieldDefinition[]): void
  onLine(key: string, line: LineFieldDefinition): void
  onChange(field: LinesField): void
}

/** The columns of a line-item table, each with its own settings; reorder with ↑ ↓. */
export function LinesEditor({ field, definition, forms, onLines, onLine, onChange }: LinesEditorProps) {
  const { locale, t } = useLocale()
  const move = (index: number, step: number) => {
    const next = [...field.fields]
    const [line] = next.splice(index, 1)
    next.splice(index + step, 0, line)
    onLines(next)
  }
  const context = { forms: forms.map((f) => f.key), formKey: definition.key }
  // Columns open one at a time as needed; a new one opens itself.
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  const toggle = (key: string) => setOpen((keys) => {
    const next = new Set(keys)
    if (!next.delete(key)) next.add(key)
    return next
  })

  return (
    <div className="fb-lines" data-lines-editor={field.key}>
      <NumberSetting label={t('fb.maxRows')} hook="maxRows" min={1} max={10000} value={field.maxRows}
        onChange={(maxRows) => onChange(patched(field, { maxRows }))} />
      <div className="fb-setting-title">{t('fb.lineFields')}</div>
      {field.fields.map((line, index) => {
        const expanded = open.has(line.key)
        return (
          <Card key={`${index}:${line.key}`} size="small" className="fb-line-card" data-line-field={line.key}
            title={
              <button type="button" className="fb-line-toggle" aria-expanded={expanded} data-line-toggle={line.key}
                onClick={() => toggle(line.key)}>
                {expanded ? '▾' : '▸'} {localize(line.label, locale)} · {typeName(line, locale)}
              </button>
            }
            extra={
              <Space size={0}>
                <Button size="small" type="text" disabled={index === 0} aria-label={t('fb.moveUp', { label: zhText(line.label) })}
                  onClick={() => move(index, -1)}>↑</Button>
                <Button size="small" type="text" disabled={index === field.fields.length - 1}
                  aria-label={t('fb.moveDown', { label: zhText(line.label) })} onClick={() => move(index, 1)}>↓</Button>
                <Button size="small" type="text" danger disabled={field.fields.length <= 1}
                  aria-label={t('fb.remove', { label: zhText(line.label) })}
                  onClick={() => onLines(field.fields.filter((_, at) => at !== index))}>×</Button>
              </Space>
            }>
            {expanded && (
              <>
                <LabelSetting hook={`line-label`} value={line.label}
                  onChange={(label) => onLine(line.key, { ...line, label })} />
                <KeySetting label={t('fb.key')} hook="line-key" value={line.key}
                  taken={(key) => {
                    const other = field.fields.find((one) => one.key === key)
                    return other ? t('fb.keyTaken', { key, label: localize(other.label, locale) || key }) : undefined
                  }}
                  onCommit={(key) => {
                    onLine(line.key, { ...line, key })
                    setOpen((keys) => new Set([...keys, key]))
                  }} />
                {line.type !== 'formula' && (
                  <CheckSetting label={t('fb.required')} hook="line-required" value={line.required}
                    onChange={(required) => onLine(line.key, patched(line, { required }))} />
                )}
                <TypeSettings field={line} definition={definition} forms={forms} lines={field.key}
                  onChange={(next) => onLine(line.key, next)} />
              </>
            )}
          </Card>
        )
      })}
      <Select<LineFieldDefinition['type']> size="small" placeholder={`+ ${t('fb.addLineField')}`} value={null as never}
        aria-label={t('fb.addLineField')} data-action="add-line-field" style={{ width: '100%' }}
        options={LINE_TYPES.map((type) => ({ value: type, label: typeName({ type }, locale) }))}
        onChange={(type) => {
          const line = newLineField(type, field.fields, context)
          onLines([...field.fields, line])
          setOpen((keys) => new Set([...keys, line.key]))
        }} />
    </div>
  )
}

const AGGREGATES = ['sum', 'count', 'min', 'max'] as const

/** A rollup over this form's line items, or over records of another form that link here. */
export function RollupSettings({ field, definition, forms, onChange }: {
  field: RollupField
  definition: FormDefinition
  forms: readonly NamedItem[]
  onChange(field: RollupField): void
}) {
  const { locale, t } = useLocale()
  const set = (changes: Partial<RollupField>) => onChange(patched(field, changes))
  const overLines = field.lines !== undefined
  const linesFields = definition.fields.filter((f): f is LinesField => f.type === 'lines')
  const source = overLines ? linesFields.find((f) => f.key === field.lines)?.fields ?? [] : []

  return (
    <>
      <Setting label={t('fb.rollupSource')} hook="rollup-source">
        <Radio.Group size="small" value={overLines ? 'lines' : 'form'}
          onChange={(e) => onChange(e.target.value === 'lines'
            ? patched(field, { lines: linesFields[0]?.key ?? '', form: undefined, link: undefined, field: undefined })
            : patched(field, { lines: undefined, form: '', link: '', field: undefined }))}
          options={[{ value: 'lines', label: t('fb.rollupLines') }, { value: 'form', label: t('fb.rollupForm') }]} />
      </Setting>
      {overLines ? (
        <Setting label={t('fb.rollupLines')} hook="rollup-lines">
          <Select size="small" value={field.lines || undefined} aria-label={t('fb.rollupLines')}
            options={linesFields.map((f) => ({ value: f.key, label: localize(f.label, locale) }))}
            onChange={(lines: string) => set({ lines, field: undefined })} />
        </Setting>
      ) : (
        <OtherFormRollup field={field} definition={definition} forms={forms} onChange={onChange} />
      )}
      <Setting label={t('fb.agg')} hook="agg">
        <Select size="small" value={field.agg} aria-label={t('fb.agg')}
          options={AGGREGATES.map((agg) => ({ value: agg, label: t(`fb.agg.${agg}` as MessageKey) }))}
          onChange={(agg: RollupField['agg']) => set({ agg, field: agg === 'count' ? undefined : field.field })} />
      </Setting>
      {overLines && field.agg !== 'count' && (
        <Setting label={t('fb.rollupField')} hook="rollup-field">
          <Select size="small" value={field.field} aria-label={t('fb.rollupField')}
            options={source.map((f) => ({ value: f.key, label: localize(f.label, locale) }))}
            onChange={(key: string) => set({ field: key })} />
        </Setting>
      )}
    </>
  )
}

function OtherFormRollup({ field, definition, forms, onChange }: {
  field: RollupField
  definition: FormDefinition
  forms: readonly NamedItem[]
  onChange(field: RollupField): void
}) {
  const { locale, t } = useLocale()
  const app = useBuilderApp()
  const target = usePublishedDefinition(app, field.form || undefined)
  const fields = field.form ? target.data?.definition.fields ?? [] : []
  const set = (changes: Partial<RollupField>) => onChange(patched(field, changes))
  return (
    <>
      <Setting label={t('fb.linkForm')} hook="rollup-form">
        <Select size="small" value={field.form || undefined} aria-label={t('fb.linkForm')}
          options={forms.filter((f) => f.key !== definition.key).map((f) => ({ value: f.key, label: localize(f.label, locale) }))}
          onChange={(form: string) => set({ form, link: '', field: undefined })} />
      </Setting>
      <Setting label={t('fb.rollupLink')} hook="rollup-link">
        <Select size="small" value={field.link || undefined} aria-label={t('fb.rollupLink')}
          options={fields.filter((f) => f.type === 'link' && f.form === definition.key)
            .map((f) => ({ value: f.key, label: localize(f.label, locale) }))}
          onChange={(link: string) => set({ link })} />
      </Setting>
      {field.agg !== 'count' && (
        <Setting label={t('fb.rollupField')} hook="rollup-field">
          <Select size="small" value={field.field} aria-label={t('fb.rollupField')}
            options={fields.filter((f) => ['number', 'money', 'percent', 'date'].includes(f.type))
              .map((f) => ({ value: f.key, label: localize(f.label, locale) }))}
            onChange={(key: string) => set({ field: key })} />
        </Setting>
      )}
    </>
  )
}

/** A lookup: which link of this form, and which field of the record it links to. */
export function LookupSettings({ field, definition, onChange }: {
  field: LookupField
  definition: FormDefinition
  onChange(field: LookupField): void
}) {
  const { locale, t } = useLocale()
  const app = useBuilderApp()
  const links = definition.fields.filter((f) => f.type === 'link')
  const link = links.find((f) => f.key === field.link)
  const target = usePublishedDefinition(app, link?.type === 'link' && link.form ? link.form : undefined)
  const fields = link ? target.data?.definition.fields ?? [] : []
  return (
    <>
      <Setting label={t('fb.lookupLink')} hook="lookup-link">
        <Select size="small" value={field.link || undefined} aria-label={t('fb.lookupLink')}
          options={links.map((f) => ({ value: f.key, label: localize(f.label, locale) }))}
          onChange={(key: string) => onChange({ ...field, link: key, field: '' })} />
      </Setting>
      <Setting label={t('fb.lookupField')} hook="lookup-field">
        <Select size="small" value={field.field || undefined} aria-label={t('fb.lookupField')}
          options={fields.filter((f) => f.type !== 'lines' && f.type !== 'lookup')
            .map((f) => ({ value: f.key, label: localize(f.label, locale) }))}
          onChange={(key: string) => onChange({ ...field, field: key })} />
      </Setting>
    </>
  )
}
