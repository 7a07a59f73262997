import type { AgreementCompare, FieldIssue, FormAgreement, FormDefinition } from '@tessera/core'
import { AGREEMENT_COMPARES, localize } from '@tessera/core'
import { Button, Select } from 'antd'
import { useLocale } from '../locale-context.js'
import { useFocusAfter } from './focus-after.js'
import { useBuilderApp } from './builder-context.js'
import { labelOf } from './design-issues.js'
import { usePublishedDefinition } from './form-builder-api.js'
import { MessageSetting, PartIssues } from './rule-settings.js'
import { isStored, joinPath, nextKey, splitPath } from './setting-edits.js'
import { patched, Setting } from './setting-inputs.js'

/** The schema's bounds on an agreement's paths. */
const MIN_PATHS = 2
const MAX_PATHS = 4

/**
 * Values that must agree (`agreements`): each value is a field of this
 * form or, through one of its links, a field of the linked record; where
 * two of them are filled they must be equal. The server checks them inside
 * every save and refuses with the message on the link the first
 * `link.field` value reads through.
 */
export function AgreementSettings({ definition, issues = [], onChange }: {
  definition: FormDefinition
  issues?: readonly FieldIssue[]
  onChange(definition: FormDefinition): void
}) {
  const { t } = useLocale()
  const focusNext = useFocusAfter()
  const agreements = definition.agreements ?? []
  const setAll = (next: FormAgreement[]) =>
    onChange(patched(definition, { agreements: next.length > 0 ? next : undefined }))
  const setOne = (index: number, agreement: FormAgreement) =>
    setAll(agreements.map((one, at) => (at === index ? agreement : one)))
  const add = () => {
    const key = nextKey('agreement', agreements.map((a) => a.key))
    setAll([...agreements, { key, paths: Array(MIN_PATHS).fill(''), message: labelOf('', '') }])
  }

  return (
    <div className="fb-rules" data-agreements="">
      <div className="fb-rules-title">{t('fb.agreements')}</div>
      <div className="fb-muted">{t('fb.agreementsHelp')}</div>
      {agreements.map((agreement, index) => {
        const setPaths = (paths: string[]) => setOne(index, { ...agreement, paths })
        return (
          <div key={agreement.key} className="fb-rule" data-agreement={index}>
            <div className="fb-rule-head">
              <code>{agreement.key}</code>
              <Button size="small" type="text" danger data-action={`remove-agreement-${index}`}
                onClick={() => {
                  setAll(agreements.filter((_, at) => at !== index))
                  focusNext(`[data-action="remove-agreement-${index}"]`, `[data-action="remove-agreement-${index - 1}"]`,
                    '[data-action="add-agreement"]')
                }}>{t('fb.removeRule')}</Button>
            </div>
            <PartIssues issues={issues} prefix={`agreements[${index}]`} definition={definition} />
            {agreement.paths.map((path, at) => (
              <AgreementPath key={at} hook={`agreement-${index}-path-${at}`} n={at + 1} path={path}
                definition={definition}
                onChange={(next) => setPaths(agreement.paths.map((one, i) => (i === at ? next : one)))}
                onRemove={agreement.paths.length > MIN_PATHS
                  ? () => setPaths(agreement.paths.filter((_, i) => i !== at))
                  : undefined} />
            ))}
            {agreement.paths.length < MAX_PATHS && (
              <Button size="small" data-action={`add-agreement-${index}-path`}
                onClick={() => {
                  setPaths([...agreement.paths, ''])
                  focusNext(`[data-setting="agreement-${index}-path-${agreement.paths.length}-field"]`)
                }}>+ {t('fb.addPath')}</Button>
            )}
            <Setting label={t('fb.agreementCompare')} hook={`agreement-${index}-compare`}>
              <Select size="small" value={agreement.compare ?? '=='} aria-label={t('fb.agreementCompare')}
                style={{ minWidth: 200 }}
                options={AGREEMENT_COMPARES.map((compare) => ({ value: compare, label: t(`fb.agreementCompare.${compare}`) }))}
                onChange={(compare: AgreementCompare) => {
                  const { compare: _dropped, ...rest } = agreement
                  setOne(index, compare === '==' ? rest : { ...rest, compare })
                }} />
            </Setting>
            <MessageSetting hook={`agreement-${index}-message`} value={agreement.message}
              onChange={(message) => setOne(index, { ...agreement, message })} />
          </div>
        )
      })}
      <Button size="small" data-action="add-agreement" onClick={() => {
        add()
        focusNext(`[data-setting="agreement-${agreements.length}-path-0-field"]`)
      }}>+ {t('fb.addAgreement')}</Button>
    </div>
  )
}

/**
 * One value of an agreement: a field of this form and, when it is a link,
 * optionally a field of the record it points at (else the link itself).
 */
function AgreementPath({ hook, n, path, definition, onChange, onRemove }: {
  hook: string
  n: number
  path: string
  definition: FormDefinition
  onChange(path: string): void
  onRemove?(): void
}) {
  const { locale, t } = useLocale()
  const app = useBuilderApp()
  const { head, tail } = splitPath(path)
  const link = definition.fields.find((f) => f.key === head)
  const target = usePublishedDefinition(app, link?.type === 'link' ? link.form : undefined)
  const linked = (target.data?.definition.fields ?? []).filter(isStored)
  const own = definition.fields.filter(isStored)
  const fieldLabel = t('fb.agreementField', { n: String(n) })
  const linkedLabel = t('fb.agreementLinked', { n: String(n) })
  const option = (f: { key: string; label: FormDefinition['label'] }) =>
    ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` })

  return (
    <div className="fb-agreement-path" data-agreement-path={hook}>
      <div className="fb-agreement-head">
        <Setting label={fieldLabel} hook={`${hook}-field`}>
          <Select size="small" value={head || undefined} aria-label={fieldLabel} showSearch optionFilterProp="label"
            options={own.map(option)} onChange={(key: string) => onChange(key)} />
        </Setting>
        {onRemove && (
          <Button size="small" type="text" danger aria-label={t('fb.removePath', { n: String(n) })}
            onClick={onRemove}>×</Button>
        )}
      </div>
      {link?.type === 'link' && (
        <Setting label={linkedLabel} hook={`${hook}-linked`}>
          <Select size="small" allowClear value={tail} placeholder={t('fb.agreementItself')} aria-label={linkedLabel}
            loading={target.isLoading} showSearch optionFilterProp="label" options={linked.map(option)}
            onChange={(key?: string) => onChange(joinPath(head, key))} />
        </Setting>
      )}
    </div>
  )
}
