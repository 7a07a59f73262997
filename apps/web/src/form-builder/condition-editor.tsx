import type { FormDefinition, Locale } from '@tessera/core'
import { localize } from '@tessera/core'
import { Alert, Button, Input, Radio, Select, Space } from 'antd'
import { useLocale } from '../locale-context.js'
import type { MessageKey } from '../i18n.js'
import {
  comparesFields,
  conditionLogic,
  conditionRows,
  operatorsFor,
  takesValue,
  type ConditionRow,
  type ConditionState,
} from './condition-rows.js'
import { logicVars } from './value-kinds.js'

interface ConditionEditorProps {
  /** Which condition, for the test hooks: visibleWhen, requiredWhen, rule-0-assert… */
  name: string
  value: unknown
  definition: FormDefinition
  /** The field the condition belongs to; it cannot read itself. */
  fieldKey: string
  onChange(logic: unknown): void
  /** What no condition means here (始终 by default: always shown, always applies). */
  emptyText?: string
}

/**
 * A condition built from rows, field, comparison, value, joined by "all"
 * or "any"; it becomes json-logic (condition-rows.ts), so nobody types
 * JSON. A condition written some other way is kept until replaced.
 */
export function ConditionEditor({ name, value, definition, fieldKey, onChange, emptyText }: ConditionEditorProps) {
  const { locale, t } = useLocale()
  const vars = logicVars(definition).filter((v) => v.key !== fieldKey && v.kind !== 'lines')
  const state = conditionRows(value, logicVars(definition))
  const labelOf = (key: string) => fieldLabel(definition, key, locale)

  if (!state) {
    return (
      <Alert type="info" showIcon title={t('fb.conditionKept')}
        action={<Button size="small" onClick={() => onChange(undefined)}>{t('fb.conditionReplace')}</Button>} />
    )
  }

  /** Fields of the same kind as `key`, to compare it with. */
  const peers = (key: string) => {
    const kind = vars.find((v) => v.key === key)?.kind
    return vars.filter((v) => v.key !== key && v.kind === kind)
  }
  const update = (next: ConditionState) => onChange(conditionLogic(next, logicVars(definition)))
  const setRow = (index: number, changes: Partial<ConditionRow>) =>
    update({ ...state, rows: state.rows.map((row, at) => (at === index ? { ...row, ...changes } : row)) })

  return (
    <div className="fb-condition" data-condition-editor={name}>
      {state.rows.length > 1 && (
        <Radio.Group size="small" value={state.mode} onChange={(e) => update({ ...state, mode: e.target.value })}
          options={[
            { value: 'all', label: t('fb.conditionAll') },
            { value: 'any', label: t('fb.conditionAny') },
          ]} />
      )}
      {state.rows.length === 0 && <div className="fb-muted">{emptyText ?? t('fb.conditionNone')}</div>}
      {state.rows.map((row, index) => {
        const kind = vars.find((v) => v.key === row.field)?.kind ?? 'text'
        const ops = operatorsFor(kind)
        const field = definition.fields.find((f) => f.key === row.field)
        const options = field && (field.type === 'select' || field.type === 'multiselect') ? field.options : undefined
        return (
          <Space key={index} wrap size={4} className="fb-condition-row" data-condition-row={index}>
            <Select size="small" style={{ width: 130 }} value={row.field} aria-label={t('fb.conditionField')}
              data-condition-field=""
              options={vars.map((v) => ({ value: v.key, label: labelOf(v.key) }))}
              onChange={(key: string) => {
                const nextKind = vars.find((v) => v.key === key)?.kind ?? 'text'
                setRow(index, { field: key, op: operatorsFor(nextKind)[0], value: '', other: undefined })
              }} />
            <Select size="small" style={{ width: 110 }} value={row.op} aria-label={t('fb.conditionOp')}
              data-condition-op=""
              options={ops.map((op) => ({ value: op, label: t(`fb.op.${op}` as MessageKey) }))}
              onChange={(op: ConditionRow['op']) => setRow(index, { op })} />
            {comparesFields(row.op) && (
              <Select size="small" style={{ width: 76 }} value={row.other === undefined ? 'value' : 'field'}
                aria-label={t('fb.compareWith')} data-condition-compare=""
                options={[
                  { value: 'value', label: t('fb.compareValue') },
                  { value: 'field', label: t('fb.compareField'), disabled: peers(row.field).length === 0 },
                ]}
                onChange={(how: string) => setRow(index, how === 'field'
                  ? { other: peers(row.field)[0]?.key, value: '' }
                  : { other: undefined })} />
            )}
            {comparesFields(row.op) && row.other !== undefined ? (
              <Select size="small" style={{ width: 130 }} value={row.other} aria-label={t('fb.compareField')}
                data-condition-other=""
                options={peers(row.field).map((v) => ({ value: v.key, label: labelOf(v.key) }))}
                onChange={(other: string) => setRow(index, { other })} />
            ) : takesValue(row.op) && (options ? (
              <Select size="small" style={{ width: 120 }} value={row.value || undefined}
                aria-label={t('fb.conditionValue')} data-condition-value=""
                options={options.map((o) => ({ value: o.value, label: localize(o.label, locale) }))}
                onChange={(next: string) => setRow(index, { value: next })} />
            ) : (
              <Input size="small" style={{ width: 120 }} value={row.value} aria-label={t('fb.conditionValue')}
                data-condition-value="" placeholder={kind === 'date' ? 'YYYY-MM-DD' : ''}
                onChange={(e) => setRow(index, { value: e.target.value })} />
            ))}
            <Button size="small" type="text" danger aria-label={t('fb.removeShort')}
              onClick={() => update({ ...state, rows: state.rows.filter((_, at) => at !== index) })}>×</Button>
          </Space>
        )
      })}
      <Button size="small" disabled={vars.length === 0} data-action={`add-${name}`}
        onClick={() => {
          const first = vars[0]
          update({ ...state, rows: [...state.rows, { field: first.key, op: operatorsFor(first.kind)[0], value: '' }] })
        }}>
        + {t('fb.addCondition')}
      </Button>
    </div>
  )
}

export function fieldLabel(definition: FormDefinition, key: string, locale: Locale): string {
  const field = definition.fields.find((f) => f.key === key)
  return field ? `${localize(field.label, locale)} (${key})` : key
}
