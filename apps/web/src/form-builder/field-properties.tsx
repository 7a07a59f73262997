import { localize, type FieldDefinition, type FieldIssue, type FormDefinition } from '@tessera/core'
import { isComputed } from '@tessera/forms'
import { Alert, Button, Form, Tag } from 'antd'
import type { NamedItem } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import { ConditionEditor } from './condition-editor.js'
import { replaceField, replaceLineField, setLineFields } from './definition-edits.js'
import { LinesEditor, LookupSettings, RollupSettings } from './derived-settings.js'
import { typeName } from './field-palette.js'
import { CheckSetting, DescriptionSetting, KeySetting, LabelSetting, patched, Setting } from './setting-inputs.js'
import { TypeSettings } from './type-settings.js'
import { IssueText } from './issue-text.js'

interface FieldPropertiesProps {
  field: FieldDefinition
  definition: FormDefinition
  forms: readonly NamedItem[]
  issues: readonly FieldIssue[]
  onDefinition(definition: FormDefinition): void
  /** Called after the field's key changed, with the new key. */
  onRenamed(key: string): void
  onRemove(): void
}

/** Types that get a real unique index (see docs/metadata/forms.md). */
const UNIQUE_TYPES = new Set(['text', 'number', 'money', 'date', 'phone', 'email', 'bank_account', 'uscc', 'select', 'link'])

/** Types whose column a plain (column, id) index serves for sorting and ranges. */
const INDEXED_TYPES = new Set([...UNIQUE_TYPES, 'datetime', 'percent', 'boolean', 'autonumber', 'formula', 'rollup', 'member'])

/**
 * The side panel of the selected field: label, description, key, required, unique, its
 * type's settings, and the conditions that show it or make it required.
 */
export function FieldProperties(props: FieldPropertiesProps) {
  const { field, definition, forms, issues, onDefinition, onRenamed, onRemove } = props
  const { locale, t } = useLocale()
  const change = (next: FieldDefinition) => onDefinition(replaceField(definition, field.key, next))
  const set = (changes: Partial<FieldDefinition>) => change(patched(field, changes as never))
  const computed = isComputed(field)

  return (
    <Form layout="vertical" size="small" className="fb-properties" data-properties={field.key}
      onSubmitCapture={(e) => e.preventDefault()}>
      <div className="fb-properties-head">
        <Tag color="blue">{typeName(field, locale)}</Tag>
        <Button size="small" danger onClick={onRemove} data-action="remove-field">{t('fb.removeShort')}</Button>
      </div>
      {issues.length > 0 && (
        <Alert type="error" showIcon className="fb-field-issues" data-field-issues=""
          title={t('fb.fieldProblem')}
          description={issues.map((issue, i) => <div key={i}><IssueText issue={issue} definition={definition} /></div>)} />
      )}
      <LabelSetting value={field.label} onChange={(label) => set({ label })} />
      <DescriptionSetting value={field.description} help={t('fb.fieldDescriptionHelp')}
        onChange={(description) => set({ description })} />
      <KeySetting label={t('fb.key')} value={field.key} extra={field.column ? t('fb.keyHint') : undefined}
        taken={(key) => {
          const other = definition.fields.find((one) => one.key === key)
          return other ? t('fb.keyTaken', { key, label: localize(other.label, locale) || key }) : undefined
        }}
        onCommit={(key) => {
          change({ ...field, key } as FieldDefinition)
          onRenamed(key)
        }} />
      {!computed && (
        <CheckSetting label={t('fb.required')} hook="required" value={field.required}
          onChange={(required) => set({ required })} />
      )}
      {UNIQUE_TYPES.has(field.type) && (
        <CheckSetting label={t('fb.unique')} hook="unique" value={field.unique}
          onChange={(unique) => set({ unique })} />
      )}
      {INDEXED_TYPES.has(field.type) && !('multiple' in field && field.multiple) && (
        <CheckSetting label={t('fb.indexed')} hook="indexed" value={field.indexed}
          onChange={(indexed) => set({ indexed })} />
      )}
      {['text', 'number', 'autonumber'].includes(field.type) && (
        <CheckSetting label={t('fb.titleField')} hook="titleField" value={definition.titleField === field.key}
          onChange={(on) => onDefinition(patched(definition, { titleField: on ? field.key : undefined }))} />
      )}

      {field.type === 'lines' ? (
        <LinesEditor field={field} definition={definition} forms={forms}
          onChange={(next) => change(next)}
          onLines={(lines) => onDefinition(setLineFields(definition, field.key, lines))}
          onLine={(key, line) => onDefinition(replaceLineField(definition, field.key, key, line))} />
      ) : field.type === 'rollup' ? (
        <RollupSettings field={field} definition={definition} forms={forms} onChange={change} />
      ) : field.type === 'lookup' ? (
        <LookupSettings field={field} definition={definition} onChange={change} />
      ) : (
        <TypeSettings field={field} definition={definition} forms={forms} onChange={change} />
      )}

      <Setting label={t('fb.visibleWhen')} hook="visibleWhen">
        <ConditionEditor name="visibleWhen" value={field.visibleWhen} definition={definition} fieldKey={field.key}
          onChange={(visibleWhen) => set({ visibleWhen })} />
      </Setting>
      {!computed && (
        <Setting label={t('fb.requiredWhen')} hook="requiredWhen">
          <ConditionEditor name="requiredWhen" value={field.requiredWhen} definition={definition}
            fieldKey={field.key} onChange={(requiredWhen) => set({ requiredWhen })}
            emptyText={t(field.required ? 'fb.requiredAlways' : 'fb.requiredByNoCondition')} />
        </Setting>
      )}
    </Form>
  )
}
