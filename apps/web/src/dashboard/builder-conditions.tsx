import { localize } from '@tessera/core'
import { Button, Card, Input, Select, Space, Typography } from 'antd'
import { useLocale } from '../locale-context.js'
import {
  type BuilderDating,
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

interface DatingProps {
  state: BuilderState
  fields: readonly BuilderField[]
  /** The dashboard params the widget can follow (see datingParams). */
  params: readonly BuilderDating['param'][]
  onChange(changes: Partial<BuilderState>): void
}

/**
 * Whether the widget follows the dashboard's as-of date or period, and by
 * which of the form's dates: without it a built widget counts every record
 * whatever date the dashboard shows (and its card says so).
 */
export function BuilderDatingRow({ state, fields, params, onChange }: DatingProps) {
  const { t, locale } = useLocale()
  const dates = fields.filter((field) => field.calendar)
  const dated = state.dated
  const none = '__none'
  return (
    <Card size="small" title={t('builder.dating')}>
      <Space wrap data-builder-dating={dated ? `${dated.param.key}:${dated.field.path}` : ''}>
        <Select value={dated?.param.key ?? none} style={{ width: 200 }} data-dating-param=""
          disabled={dates.length === 0 || params.length === 0}
          options={[
            { value: none, label: t('builder.datingNone') },
            ...params.map((param) => ({ value: param.key, label: localize(param.label, locale) })),
          ]}
          onChange={(key: string) => {
            const param = params.find((one) => one.key === key)
            onChange({ dated: param ? { param, field: dated?.field ?? dates[0] } : undefined })
          }} />
        {dated && (
          <Select value={dated.field.path} style={{ width: 200 }} data-dating-field=""
            options={dates.map((field) => ({ value: field.path, label: field.label }))}
            onChange={(path: string) => {
              const field = dates.find((one) => one.path === path)
              if (field) onChange({ dated: { ...dated, field } })
            }} />
        )}
        <Typography.Text type="secondary" data-dating-note="">
          {!dated ? t(params.length === 0 ? 'builder.datingNoParams' : dates.length === 0 ? 'builder.datingNoDates' : 'builder.datingOff')
            : t(dated.param.type === 'date' ? 'builder.datingAsOf' : 'builder.datingPeriod',
              { field: dated.field.label, param: localize(dated.param.label, locale) })}
        </Typography.Text>
      </Space>
    </Card>
  )
}
