import type { LinkField } from '@tessera/core'
import { Alert, Button, Typography } from 'antd'
import { useFormDefinition } from '../api/queries.js'
import { useLocale } from '../locale-context.js'
import { FilterBuilder } from '../records/filter-builder.js'
import { logicToModel, modelToLogic } from '../records/list-filter.js'
import { useBuilderApp } from './builder-context.js'
import { Setting } from './setting-inputs.js'

/**
 * A link's picker range (`pickWhere`): the list filter's rows over the
 * linked form's published fields (open invoices: 未收金额 大于 0). A range
 * written some other way is kept until replaced.
 */
export function PickRangeSetting({ field, onChange }: { field: LinkField; onChange(pickWhere: unknown): void }) {
  const { t } = useLocale()
  const app = useBuilderApp()
  const linked = useFormDefinition(app, field.form, field.form !== '')
  const definition = linked.data?.definition
  // One condition is kept bare ({">": …}); the rows read it as "all of" one row.
  const model = definition && field.pickWhere !== undefined
    ? logicToModel(field.pickWhere, definition) ?? logicToModel({ and: [field.pickWhere] }, definition)
    : undefined
  // Fields the range reads that the linked form no longer has (renamed or removed there since).
  const gone = definition && field.pickWhere !== undefined
    ? varsOf(field.pickWhere).filter((key) => !definition.fields.some((one) => one.key === key))
    : []
  return (
    <Setting label={t('fb.pickWhere')} hook="pickWhere" extra={t('fb.pickWhereHelp')}>
      {field.form === '' ? null : linked.isError ? (
        <Typography.Text type="secondary">{t('fb.pickWhereUnpublished')}</Typography.Text>
      ) : !definition ? null : field.pickWhere !== undefined && !model ? (
        <Alert type={gone.length > 0 ? 'warning' : 'info'} showIcon data-pick-where-kept=""
          title={gone.length > 0 ? t('fb.pickWhereGone', { fields: gone.join('、') }) : t('fb.conditionKept')}
          action={<Button size="small" onClick={() => onChange(undefined)}>{t('fb.conditionReplace')}</Button>} />
      ) : (
        // Each change is stored as it is made, as every other setting here.
        <FilterBuilder key={`${field.key}:${field.form}`} app={app} live
          definition={definition} initial={model}
          onApply={(next) => onChange(next ? modelToLogic(next) : undefined)} />
      )}
    </Setting>
  )
}

/** The field keys a list filter's json-logic compares (`{"var": "open_amount"}`). */
function varsOf(rule: unknown): string[] {
  if (Array.isArray(rule)) return rule.flatMap(varsOf)
  if (typeof rule !== 'object' || rule === null) return []
  const entries = Object.entries(rule)
  if (entries.length === 1 && entries[0][0] === 'var' && typeof entries[0][1] === 'string') return [entries[0][1]]
  return entries.flatMap(([, value]) => varsOf(value))
}
