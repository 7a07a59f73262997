import { Button, Card, Input, Select, Space } from 'antd'
import { useLocale } from '../locale-context.js'
import type { BuilderField, BuilderOperator, BuilderState } from './builder-spec.js'

const OPERATORS: BuilderOperator[] = ['==', '!=', '>', '>=', '<', '<=']

interface ConditionsProps {
  state: BuilderState
  fields: readonly BuilderField[]
  onChange(changes: Partial<BuilderState>): void
}

/** The widget's own conditions: field, operator, value; they become the report's filter. */
export function BuilderConditions({ state, fields, onChange }: ConditionsProps) {
  const { t } = useLocale()
  const set = (index: number, changes: Partial<BuilderState['conditions'][number]>) =>
    onChange({ conditions: state.conditions.map((one, at) => (at === index ? { ...one, ...changes } : one)) })

  return (
    <Card size="small" title={t('builder.filters')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {state.conditions.map((condition, index) => (
          <Space key={index} wrap data-condition={index}>
            <Select value={condition.field.path} style={{ width: 200 }}
              options={fields.map((field) => ({ value: field.path, label: field.label }))}
              onChange={(path: string) => {
                const field = fields.find((one) => one.path === path)
                if (field) set(index, { field })
              }} />
            <Select value={condition.op} style={{ width: 120 }}
              options={OPERATORS.map((op) => ({ value: op, label: t(`builder.op.${op}`) }))}
              onChange={(op: BuilderOperator) => set(index, { op })} />
            {condition.field.options ? (
              // A select field is tested on its stored code; the reader picks the label.
              <Select value={condition.value || undefined} style={{ width: 160 }} data-condition-value=""
                options={condition.field.options.map((option) => ({ value: option.value, label: option.label }))}
                onChange={(value: string) => set(index, { value })} />
            ) : (
              <Input value={condition.value} style={{ width: 160 }} data-condition-value=""
                placeholder={condition.field.kind === 'date' ? 'YYYY-MM-DD' : ''}
                onChange={(event) => set(index, { value: event.target.value })} />
            )}
            <Button onClick={() => onChange({ conditions: state.conditions.filter((_, at) => at !== index) })}>
              {t('builder.remove')}
            </Button>
          </Space>
        ))}
        <Button size="small" disabled={fields.length === 0} data-action="add-condition"
          onClick={() => onChange({ conditions: [...state.conditions, { field: fields[0], op: '==', value: '' }] })}>
          + {t('builder.addFilter')}
        </Button>
      </Space>
    </Card>
  )
}
