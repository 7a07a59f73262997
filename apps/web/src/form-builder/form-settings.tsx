import type { FieldIssue, FormDefinition } from '@tessera/core'
import { isPickerDetailField, localize } from '@tessera/core'
import { Form, Select } from 'antd'
import { useLocale } from '../locale-context.js'
import { AgreementSettings } from './agreement-settings.js'
import { ConstraintSettings } from './constraint-settings.js'
import { ListSettings } from './list-settings.js'
import { PartIssues, RuleSettings } from './rule-settings.js'
import { DescriptionSetting, LabelSetting, patched, Setting } from './setting-inputs.js'
import { withPickerFields } from './setting-edits.js'
import { UniqueSettings } from './unique-settings.js'

/** The form's own settings, shown while no field is selected. */
export function FormSettings({ definition, issues = [], onChange }: {
  definition: FormDefinition
  /** The definition's problems: the list, sets, rules, limits and agreements show theirs on their cards. */
  issues?: readonly FieldIssue[]
  onChange(definition: FormDefinition): void
}) {
  const { locale, t } = useLocale()
  const titles = definition.fields.filter((f) => ['text', 'number', 'autonumber'].includes(f.type))
  // Only a date every record has can place records in periods; the one chosen stays listed even if it no longer can.
  const dates = definition.fields.filter((f) => f.type === 'date' &&
    ((f.required === true && f.visibleWhen === undefined) || f.key === definition.periodField))
  // Shown beside a record's title where other forms pick it: values of its own row.
  const details = definition.fields.filter(isPickerDetailField)
  const parts = { definition, issues, onChange }
  return (
    <Form layout="vertical" size="small" className="fb-properties" data-form-settings=""
      onSubmitCapture={(e) => e.preventDefault()}>
      <div className="fb-muted">{t('fb.noSelection')}</div>
      <LabelSetting hook="form-label" value={definition.label}
        onChange={(label) => onChange({ ...definition, label })} />
      <PartIssues issues={issues} prefix="description" definition={definition} />
      <DescriptionSetting hook="form-description" value={definition.description} help={t('fb.formDescriptionHelp')}
        onChange={(description) => onChange(patched(definition, { description }))} />
      <Setting label={t('fb.formKey')} hook="form-key"><code>{definition.key}</code></Setting>
      <Setting label={t('fb.titleField')} hook="form-title">
        <Select size="small" allowClear value={definition.titleField} aria-label={t('fb.titleField')}
          options={titles.map((f) => ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` }))}
          onChange={(titleField?: string) => onChange(patched(definition, { titleField }))} />
      </Setting>
      <Setting label={t('fb.pickerFields')} hook="form-picker" extra={t('fb.pickerFieldsHelp')}>
        <Select size="small" mode="multiple" maxCount={4} allowClear value={definition.ui?.picker?.fields ?? []}
          aria-label={t('fb.pickerFields')}
          options={details.map((f) => ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` }))}
          onChange={(fields: string[]) => onChange(withPickerFields(definition, fields))} />
      </Setting>
      <PartIssues issues={issues} prefix="ui.picker" definition={definition} />
      <Setting label={t('fb.periodField')} hook="form-period" extra={t('fb.periodFieldHelp')}>
        <Select size="small" allowClear value={definition.periodField} aria-label={t('fb.periodField')}
          options={dates.map((f) => ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` }))}
          onChange={(periodField?: string) => onChange(patched(definition, { periodField }))} />
      </Setting>
      <PartIssues issues={issues} prefix="periodField" definition={definition} />
      <ListSettings {...parts} />
      <UniqueSettings {...parts} />
      <RuleSettings {...parts} />
      <ConstraintSettings {...parts} />
      <AgreementSettings {...parts} />
    </Form>
  )
}
