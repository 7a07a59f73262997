import { Button, Card, Input, Select, Space } from 'antd'
import { useLocale } from '../locale-context.js'
import {
  type BuilderField,
  type BuilderOperator,
  type BuilderState,
  conditionProblem,
  operatorsFor,
} from './builder-spec.js'

interface ConditionsProps {
  state: BuilderState
  fields: readonly BuilderField[]
  onChange(changes: Partial<BuilderState>): void
}

/** A value still being typed is not marked wrong until there is one. */
function problemOf(condition: BuilderState['conditions'][number]) {
  const problem = conditionProblem(condition)
  return problem === 'empty' ? undefined : problem
}

/** The widget's own conditions: field, operator, value; they become the report's filter. */
export function BuilderConditions({ state, fields, onChange }: ConditionsProps) {
  const { t } = useLocale()
  const wrongValue = (condition: BuilderState['conditions'][number]) => {
    const problem = problemOf(condition)
    return problem ? t(`builder.problem.${problem}`) : undefined
  }
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
                // Another field may not take the comparison or the value chosen for the last one.
                if (field) {
                  set(index, {
                    field,
                    op: operatorsFor(field).includes(condition.op) ? condition.op : '==',
                    value: field.options || field.kind !== condition.field.kind ? '' : condition.value,
                  })
                }
              }} />
            <Select value={condition.op} style={{ width: 120 }}
              options={operatorsFor(condition.field).map((op) => ({ value: op, label: t(`builder.op.${op}`) }))}
              onChange={(op: BuilderOperator) => set(index, { op })} />
            {condition.field.options ? (
              // A select field is tested on its stored code; the reader picks the label.
              <Select value={condition.value || undefined} style={{ width: 160 }} data-condition-value=""
                options={condition.field.options.map((option) => ({ value: option.value, label: option.label }))}
                onChange={(value: string) => set(index, { value })} />
            ) : (
              <Input value={condition.value} style={{ width: 160 }} data-condition-value=""
                status={problemOf(condition) ? 'error' : undefined}
                title={wrongValue(condition)}
                placeholder={condition.field.kind === 'date' ? 'YYYY-MM-DD' : condition.field.kind === 'number' ? '1,000.00' : ''}
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
