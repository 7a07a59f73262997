import type { FieldIssue, FormDefinition } from '@tessera/core'
import { localize } from '@tessera/core'
import { Form, Select } from 'antd'
import { useLocale } from '../locale-context.js'
import { ConstraintSettings } from './constraint-settings.js'
import { RuleSettings } from './rule-settings.js'
import { LabelSetting, patched, Setting } from './setting-inputs.js'

/** The form's own settings, shown while no field is selected. */
export function FormSettings({ definition, issues = [], onChange }: {
  definition: FormDefinition
  /** The definition's problems: rules and limits show theirs on their cards. */
  issues?: readonly FieldIssue[]
  onChange(definition: FormDefinition): void
}) {
  const { locale, t } = useLocale()
  const titles = definition.fields.filter((f) => ['text', 'number', 'autonumber'].includes(f.type))
  return (
    <Form layout="vertical" size="small" className="fb-properties" data-form-settings="">
      <div className="fb-muted">{t('fb.noSelection')}</div>
      <LabelSetting hook="form-label" value={definition.label} onChange={(label) => onChange({ ...definition, label })} />
      <Setting label={t('fb.formKey')} hook="form-key"><code>{definition.key}</code></Setting>
      <Setting label={t('fb.titleField')} hook="form-title">
        <Select size="small" allowClear value={definition.titleField} aria-label={t('fb.titleField')}
          options={titles.map((f) => ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` }))}
          onChange={(titleField?: string) => onChange(patched(definition, { titleField }))} />
      </Setting>
      <RuleSettings definition={definition} issues={issues} onChange={onChange} />
      <ConstraintSettings definition={definition} issues={issues} onChange={onChange} />
    </Form>
  )
}
