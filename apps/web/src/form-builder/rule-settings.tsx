import type { FieldIssue, FormDefinition, FormRule, LocalizedText } from '@tessera/core'
import { localize } from '@tessera/core'
import { Button, Select } from 'antd'
import { useLocale } from '../locale-context.js'
import { ConditionEditor } from './condition-editor.js'
import { IssueText } from './issue-text.js'
import { enText, labelOf, zhText } from './design-issues.js'
import { patched, Setting, TextSetting } from './setting-inputs.js'

/**
 * The form's cross-field rules: what must hold (condition rows, which may
 * compare one field with another), optionally only when something else
 * does, the message in Chinese and English, and the fields it is shown on.
 * The same rule is checked in the browser and on the server.
 */
export function RuleSettings({ definition, issues = [], onChange }: {
  definition: FormDefinition
  issues?: readonly FieldIssue[]
  onChange(definition: FormDefinition): void
}) {
  const { locale, t } = useLocale()
  const rules = definition.rules ?? []
  const setRules = (next: FormRule[]) => onChange(patched(definition, { rules: next.length > 0 ? next : undefined }))
  const setRule = (index: number, rule: FormRule) => setRules(rules.map((one, at) => (at === index ? rule : one)))
  const fields = definition.fields.filter((f) => f.type !== 'lines')

  const add = () => {
    const taken = new Set(rules.map((rule) => rule.key))
    let n = rules.length + 1
    while (taken.has(`rule_${n}`)) n += 1
    setRules([...rules, { key: `rule_${n}`, assert: undefined, message: labelOf('', '') } as unknown as FormRule])
  }

  return (
    <div className="fb-rules" data-rules="">
      <div className="fb-rules-title">{t('fb.rules')}</div>
      <div className="fb-muted">{t('fb.rulesHelp')}</div>
      {rules.map((rule, index) => (
        <div key={rule.key} className="fb-rule" data-rule={index}>
          <div className="fb-rule-head">
            <code>{rule.key}</code>
            <Button size="small" type="text" danger data-action={`remove-rule-${index}`}
              onClick={() => setRules(rules.filter((_, at) => at !== index))}>{t('fb.removeRule')}</Button>
          </div>
          <PartIssues issues={issues} prefix={`rules[${index}]`} definition={definition} />
          <Setting label={t('fb.ruleAssert')} hook={`rule-${index}-assert`}>
            <ConditionEditor name={`rule-${index}-assert`} value={rule.assert} definition={definition} fieldKey=""
              onChange={(assert) => setRule(index, { ...rule, assert })} />
          </Setting>
          <Setting label={t('fb.ruleWhen')} hook={`rule-${index}-when`}>
            <ConditionEditor name={`rule-${index}-when`} value={rule.when} definition={definition} fieldKey=""
              onChange={(when) => setRule(index, patched(rule, { when }))} />
          </Setting>
          <MessageSetting hook={`rule-${index}-message`} value={rule.message}
            onChange={(message) => setRule(index, { ...rule, message })} />
          <Setting label={t('fb.ruleFields')} hook={`rule-${index}-fields`}>
            <Select size="small" mode="multiple" allowClear value={rule.fields ?? []} aria-label={t('fb.ruleFields')}
              options={fields.map((f) => ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` }))}
              onChange={(keys: string[]) => setRule(index, patched(rule, { fields: keys.length > 0 ? keys : undefined }))} />
          </Setting>
        </div>
      ))}
      <Button size="small" data-action="add-rule" onClick={add}>+ {t('fb.addRule')}</Button>
    </div>
  )
}

export function MessageSetting({ hook, value, onChange }: {
  hook: string
  value: LocalizedText
  onChange(value: LocalizedText): void
}) {
  const { t } = useLocale()
  return (
    <div className="fb-label-pair">
      <TextSetting label={t('fb.ruleMessageZh')} hook={`${hook}-zh`} value={zhText(value)}
        onChange={(zh) => onChange(labelOf(zh ?? '', enText(value)))} />
      <TextSetting label={t('fb.ruleMessageEn')} hook={`${hook}-en`} value={enText(value)}
        onChange={(en) => onChange(labelOf(zhText(value), en ?? ''))} />
    </div>
  )
}

/** The problems of one rule, limit, agreement or unique set, on its card. */
export function PartIssues({ issues, prefix, definition }: {
  issues: readonly FieldIssue[]
  prefix: string
  definition: FormDefinition
}) {
  const within = (path = '') => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)
  const mine = issues.filter((issue) => within(issue.field))
  if (mine.length === 0) return null
  return (
    <div className="fb-part-issues" data-part-issues={prefix}>
      {mine.map((issue, i) => <div key={i}><IssueText issue={issue} definition={definition} /></div>)}
    </div>
  )
}
