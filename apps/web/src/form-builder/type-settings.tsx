import type { FieldDefinition, FormDefinition, LineFieldDefinition, Locale } from '@tessera/core'
import { Dec, isDecimalString, localize } from '@tessera/core'
import { Select } from 'antd'
import type { NamedItem } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import { AttachmentSettings } from './attachment-settings.js'
import { FormulaEditor } from './formula-editor.js'
import { OptionsEditor } from './options-editor.js'
import { PickRangeSetting } from './pick-range-setting.js'
import { CheckSetting, DescriptionSetting, NumberSetting, patched, Setting, TextSetting } from './setting-inputs.js'
import { logicVars } from './value-kinds.js'

type AnyField = FieldDefinition | LineFieldDefinition

interface TypeSettingsProps<F extends AnyField> {
  field: F
  definition: FormDefinition
  /** The app's forms, for link targets. */
  forms: readonly NamedItem[]
  /** For a line field: the key of its lines field (formulas read the row). */
  lines?: string
  onChange(field: F): void
}

const RESULTS = ['number', 'money', 'percent', 'date', 'text', 'boolean'] as const
const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP']

/** The settings of a field's type: limits, options, link target, formula… */
export function TypeSettings<F extends AnyField>(props: TypeSettingsProps<F>) {
  const { field, definition, forms, lines, onChange } = props
  const { locale, t } = useLocale()
  const set = (changes: Record<string, unknown>) => onChange(patched(field, changes as Partial<F>))
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined)

  switch (field.type) {
    case 'text':
      return (
        <>
          <CheckSetting label={t('fb.multiline')} hook="multiline" value={field.multiline}
            onChange={(multiline) => set({ multiline })} />
          <NumberSetting label={t('fb.minLength')} hook="minLength" min={0} value={field.minLength}
            onChange={(minLength) => set({ minLength })} />
          <NumberSetting label={t('fb.maxLength')} hook="maxLength" min={1} value={field.maxLength}
            onChange={(maxLength) => set({ maxLength })} />
          <TextSetting label={t('fb.pattern')} hook="pattern" value={field.pattern} placeholder="^[A-Z]{2}\d+$"
            onChange={(pattern) => set({ pattern })} />
          {field.pattern !== undefined && (
            <DescriptionSetting hook="patternHint" value={field.patternHint} help={t('fb.patternHint.help')}
              labels={[t('fb.patternHintZh'), t('fb.patternHintEn')]}
              onChange={(patternHint) => set({ patternHint })} />
          )}
        </>
      )
    case 'number':
      return (
        <>
          <CheckSetting label={t('fb.integer')} hook="integer" value={field.integer}
            onChange={(integer) => set({ integer, scale: integer ? undefined : field.scale })} />
          {!field.integer && (
            <NumberSetting label={t('fb.scale')} hook="scale" min={0} max={10} value={field.scale}
              onChange={(scale) => set({ scale })} />
          )}
          <NumberSetting label={t('fb.min')} hook="min" value={field.min} onChange={(min) => set({ min })} />
          <NumberSetting label={t('fb.max')} hook="max" value={field.max} onChange={(max) => set({ max })} />
        </>
      )
    case 'money':
    case 'percent':
      return (
        <>
          <NumberSetting label={t('fb.scale')} hook="scale" min={0} max={field.type === 'money' ? 6 : 4}
            value={field.scale} onChange={(scale) => set({ scale })} />
          {field.type === 'money' && (
            <Setting label={t('fb.currency')} hook="currency">
              <Select size="small" value={field.currency ?? 'CNY'} aria-label={t('fb.currency')}
                options={CURRENCIES.map((code) => ({ value: code, label: code }))}
                onChange={(currency: string) => set({ currency: currency === 'CNY' ? undefined : currency })} />
            </Setting>
          )}
          <TextSetting label={t('fb.min')} hook="min" value={text(field.min)} onChange={(min) => set({ min })}
            extra={field.type === 'percent' ? percentNote(text(field.min), t('fb.percentBounds')) : undefined} />
          <TextSetting label={t('fb.max')} hook="max" value={text(field.max)} onChange={(max) => set({ max })}
            extra={field.type === 'percent' ? percentNote(text(field.max), t('fb.percentBounds')) : undefined} />
        </>
      )
    case 'date':
      return (
        <>
          <TextSetting label={t('fb.min')} hook="min" value={field.min} placeholder="YYYY-MM-DD"
            onChange={(min) => set({ min })} />
          <TextSetting label={t('fb.max')} hook="max" value={field.max} placeholder="YYYY-MM-DD"
            onChange={(max) => set({ max })} />
          {/* A new record's own date; a line of line items starts empty. */}
          {lines === undefined && (
            <CheckSetting label={t('fb.defaultToday')} hook="defaultToday" value={field.default === 'today'}
              onChange={(today) => set({ default: today ? 'today' : undefined })} />
          )}
        </>
      )
    case 'select':
    case 'multiselect':
      return (
        <>
          <Setting label={t('fb.options')} hook="options">
            <OptionsEditor options={field.options} onChange={(options) => set({
              options,
              // A default whose option is gone goes with it.
              ...(field.type === 'select' && field.default !== undefined && !options.some((one) => one.value === field.default)
                ? { default: undefined } : {}),
            })} />
          </Setting>
          {/* The option a new record starts with; a line of line items starts empty. */}
          {field.type === 'select' && lines === undefined && (
            <Setting label={t('fb.selectDefault')} hook="selectDefault">
              <Select size="small" allowClear value={field.default} aria-label={t('fb.selectDefault')}
                placeholder={t('fb.selectDefaultNone')}
                options={field.options.filter((one) => one.value !== '').map((one) => ({ value: one.value, label: localize(one.label, locale) || one.value }))}
                onChange={(value: string | undefined) => set({ default: value })} />
            </Setting>
          )}
        </>
      )
    case 'link':
      return (
        <>
          <Setting label={t('fb.linkForm')} hook="form">
            <Select size="small" value={field.form || undefined} aria-label={t('fb.linkForm')}
              showSearch optionFilterProp="label"
              options={forms.filter((f) => f.key !== definition.key)
                .map((f) => ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` }))}
              onChange={(form: string) => set({ form, pickWhere: undefined })} />
          </Setting>
          {/* Pickers in line items offer every record: a range applies to the form's own links. */}
          {lines === undefined && <PickRangeSetting field={field} onChange={(pickWhere) => set({ pickWhere })} />}
        </>
      )
    case 'region':
      return (
        <Setting label={t('fb.depth')} hook="depth">
          <Select size="small" value={field.depth ?? 3} aria-label={t('fb.depth')}
            options={[1, 2, 3].map((depth) => ({ value: depth, label: t(`fb.depth${depth as 1 | 2 | 3}`) }))}
            onChange={(depth: number) => set({ depth })} />
        </Setting>
      )
    case 'autonumber':
      return (
        <>
          <TextSetting label={t('fb.pattern.autonumber')} hook="pattern" value={field.pattern}
            onChange={(pattern) => set({ pattern: pattern ?? '' })} />
          {/* Whose day the pattern's date takes: the day of entry, or a date field of the record. */}
          <Setting label={t('fb.numberDate')} hook="dateField">
            <Select size="small" value={field.dateField ?? ''} aria-label={t('fb.numberDate')}
              options={[{ value: '', label: t('fb.numberDate.entered') },
                ...definition.fields.filter((one) => one.type === 'date')
                  .map((one) => ({ value: one.key, label: localize(one.label, locale) || one.key }))]}
              onChange={(dateField: string) => set({ dateField: dateField || undefined })} />
          </Setting>
        </>
      )
    case 'member':
    case 'department':
      return (
        <>
          <CheckSetting label={t('fb.multiple')} hook="multiple" value={field.multiple}
            onChange={(multiple) => set({ multiple })} />
          <CheckSetting label={t('fb.meDefault')} hook="default" value={field.default === '$me'}
            onChange={(me) => set({ default: me ? '$me' : undefined })} />
        </>
      )
    case 'attachment':
      return <AttachmentSettings field={field} onChange={(next) => onChange(next as F)} />
    case 'formula':
      return (
        <>
          <Setting label={t('fb.result')} hook="result">
            <Select size="small" value={field.result} aria-label={t('fb.result')}
              options={RESULTS.map((result) => ({ value: result, label: resultName(result, locale) }))}
              onChange={(result: string) => set({ result })} />
          </Setting>
          {['number', 'money', 'percent'].includes(field.result) && (
            <NumberSetting label={t('fb.scale')} hook="scale" min={0} max={6} value={field.scale}
              onChange={(scale) => set({ scale })} />
          )}
          <Setting label={t('fb.formula')} hook="expression">
            <FormulaEditor key={field.key} value={field.expression}
              vars={formulaVars(definition, field.key, lines, locale)}
              onChange={(expression) => set({ expression })} />
          </Setting>
        </>
      )
    default:
      return null
  }
}

/** What a formula may read: the form's fields (or its row's), itself apart, labelled. */
function formulaVars(definition: FormDefinition, self: string, lines: string | undefined, locale: Locale) {
  const owner = lines === undefined ? undefined : definition.fields.find((f) => f.key === lines)
  const labelled = owner?.type === 'lines' ? owner.fields : definition.fields
  return logicVars(definition, lines)
    .filter((v) => v.key !== self)
    .map((v) => {
      const found = labelled.find((f) => f.key === v.key)
      return { ...v, label: found ? localize(found.label, locale) : v.key }
    })
}

function resultName(result: (typeof RESULTS)[number], locale: Locale): string {
  const names: Record<(typeof RESULTS)[number], [string, string]> = {
    number: ['数字', 'Number'], money: ['金额', 'Money'], percent: ['百分比', 'Percent'],
    date: ['日期', 'Date'], text: ['文本', 'Text'], boolean: ['是/否', 'Yes/no'],
  }
  return names[result][locale === 'en' ? 1 : 0]
}

/** A percent bound is a fraction: said so, with what the typed one stands for (100 → 10000%). */
function percentNote(bound: string | undefined, hint: string): string {
  if (bound === undefined || !isDecimalString(bound)) return hint
  return `${hint} · ${bound} = ${new Dec(bound).times(100).toFixed()}%`
}
