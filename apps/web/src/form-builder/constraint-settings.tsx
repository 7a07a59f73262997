import type { FieldDefinition, FieldIssue, FormConstraint, FormDefinition } from '@tessera/core'
import { localize } from '@tessera/core'
import { Button, Select } from 'antd'
import { useLocale } from '../locale-context.js'
import { useBuilderApp } from './builder-context.js'
import { labelOf } from './design-issues.js'
import { usePublishedDefinition } from './form-builder-api.js'
import { MessageSetting, PartIssues } from './rule-settings.js'
import { patched, Setting } from './setting-inputs.js'

/** Fields whose values add up: the summed field of a limit, and its limit. */
function isAmount(field: FieldDefinition): boolean {
  if (field.type === 'number' || field.type === 'money' || field.type === 'percent') return true
  if (field.type === 'formula') return ['number', 'money', 'percent'].includes(field.result)
  if (field.type === 'rollup') return field.agg === 'count' || field.agg === 'sum'
  return false
}

/**
 * The form's limits across records (`constraints`): for each record a link
 * field points at, the records of this form linking to it may together
 * hold at most that record's limit field — the allocations of one receipt
 * at most its amount. Checked by the server inside every write, with the
 * linked record locked.
 */
export function ConstraintSettings({ definition, issues = [], onChange }: {
  definition: FormDefinition
  issues?: readonly FieldIssue[]
  onChange(definition: FormDefinition): void
}) {
  const { locale, t } = useLocale()
  const constraints = definition.constraints ?? []
  const links = definition.fields.filter((f) => f.type === 'link')
  const amounts = definition.fields.filter(isAmount)
  const label = (f: FieldDefinition) => `${localize(f.label, locale)} (${f.key})`
  const setAll = (next: FormConstraint[]) =>
    onChange(patched(definition, { constraints: next.length > 0 ? next : undefined }))
  const setOne = (index: number, constraint: FormConstraint) =>
    setAll(constraints.map((one, at) => (at === index ? constraint : one)))

  const add = () => {
    const taken = new Set(constraints.map((c) => c.key))
    let n = constraints.length + 1
    while (taken.has(`limit_${n}`)) n += 1
    setAll([...constraints, {
      key: `limit_${n}`, per: links[0]?.key ?? '', sum: amounts[0]?.key ?? '', max: '', message: labelOf('', ''),
    }])
  }

  return (
    <div className="fb-rules" data-constraints="">
      <div className="fb-rules-title">{t('fb.constraints')}</div>
      <div className="fb-muted">{t('fb.constraintsHelp')}</div>
      {constraints.map((constraint, index) => (
        <div key={constraint.key} className="fb-rule" data-constraint={index}>
          <div className="fb-rule-head">
            <code>{constraint.key}</code>
            <Button size="small" type="text" danger data-action={`remove-constraint-${index}`}
              onClick={() => setAll(constraints.filter((_, at) => at !== index))}>{t('fb.removeRule')}</Button>
          </div>
          <PartIssues issues={issues} prefix={`constraints[${index}]`} definition={definition} />
          <Setting label={t('fb.constraintPer')} hook={`constraint-${index}-per`}>
            <Select size="small" value={constraint.per || undefined} aria-label={t('fb.constraintPer')}
              options={links.map((f) => ({ value: f.key, label: label(f) }))}
              onChange={(per: string) => setOne(index, { ...constraint, per, max: '' })} />
          </Setting>
          <Setting label={t('fb.constraintSum')} hook={`constraint-${index}-sum`}>
            <Select size="small" value={constraint.sum || undefined} aria-label={t('fb.constraintSum')}
              options={amounts.map((f) => ({ value: f.key, label: label(f) }))}
              onChange={(sum: string) => setOne(index, { ...constraint, sum })} />
          </Setting>
          <LimitField index={index} constraint={constraint} definition={definition}
            onChange={(max) => setOne(index, { ...constraint, max })} />
          <MessageSetting hook={`constraint-${index}-message`} value={constraint.message}
            onChange={(message) => setOne(index, { ...constraint, message })} />
        </div>
      ))}
      <Button size="small" data-action="add-constraint" disabled={links.length === 0 || amounts.length === 0}
        onClick={add}>+ {t('fb.addConstraint')}</Button>
      {(links.length === 0 || amounts.length === 0) && <div className="fb-muted">{t('fb.constraintNeeds')}</div>}
    </div>
  )
}

/** The limit: an amount field of the record the `per` link points at. */
function LimitField({ index, constraint, definition, onChange }: {
  index: number
  constraint: FormConstraint
  definition: FormDefinition
  onChange(max: string): void
}) {
  const { locale, t } = useLocale()
  const app = useBuilderApp()
  const link = definition.fields.find((f) => f.key === constraint.per)
  const target = usePublishedDefinition(app, link?.type === 'link' ? link.form : undefined)
  const fields = (target.data?.definition.fields ?? []).filter(isAmount)
  return (
    <Setting label={t('fb.constraintMax')} hook={`constraint-${index}-max`}>
      <Select size="small" value={constraint.max || undefined} aria-label={t('fb.constraintMax')}
        loading={target.isLoading}
        options={fields.map((f) => ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` }))}
        onChange={onChange} />
    </Setting>
  )
}
