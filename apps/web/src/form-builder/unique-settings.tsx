import type { FieldIssue, FormDefinition } from '@tessera/core'
import { localize } from '@tessera/core'
import { Button, Select } from 'antd'
import { useLocale } from '../locale-context.js'
import { PartIssues } from './rule-settings.js'
import { isUniqueable } from './setting-edits.js'
import { patched, Setting } from './setting-inputs.js'
import { useFocusAfter } from './focus-after.js'

/**
 * Sets of fields unique together (`uniques`): each becomes a unique index
 * over their columns when published, so two records may not hold the same
 * values in all of them, however many people save at once.
 */
export function UniqueSettings({ definition, issues = [], onChange }: {
  definition: FormDefinition
  issues?: readonly FieldIssue[]
  onChange(definition: FormDefinition): void
}) {
  const { locale, t } = useLocale()
  const focusNext = useFocusAfter()
  const uniques = definition.uniques ?? []
  const fields = definition.fields.filter(isUniqueable)
  const setAll = (next: string[][]) => onChange(patched(definition, { uniques: next.length > 0 ? next : undefined }))

  return (
    <div className="fb-rules" data-uniques="">
      <div className="fb-rules-title">{t('fb.uniques')}</div>
      <div className="fb-muted">{t('fb.uniquesHelp')}</div>
      {uniques.map((keys, index) => {
        const name = t('fb.uniqueSet', { n: String(index + 1) })
        const label = t('fb.uniqueFields', { n: String(index + 1) })
        return (
          <div key={index} className="fb-rule" data-unique={index}>
            <div className="fb-rule-head">
              <span>{name}</span>
              <Button size="small" type="text" danger data-action={`remove-unique-${index}`}
                aria-label={t('fb.remove', { label: name })}
                onClick={() => {
                  setAll(uniques.filter((_, at) => at !== index))
                  focusNext(`[data-action="remove-unique-${index}"]`, `[data-action="remove-unique-${index - 1}"]`,
                    '[data-action="add-unique"]')
                }}>{t('fb.removeShort')}</Button>
            </div>
            <PartIssues issues={issues} prefix={`uniques[${index}]`} definition={definition} />
            <Setting label={label} hook={`unique-${index}-fields`}>
              <Select size="small" mode="multiple" value={keys} aria-label={label} optionFilterProp="label"
                options={fields.map((f) => ({ value: f.key, label: `${localize(f.label, locale)} (${f.key})` }))}
                onChange={(next: string[]) => setAll(uniques.map((one, at) => (at === index ? next : one)))} />
            </Setting>
          </div>
        )
      })}
      <Button size="small" data-action="add-unique" onClick={() => {
        setAll([...uniques, []])
        focusNext(`[data-setting="unique-${uniques.length}-fields"]`)
      }}>
        + {t('fb.addUnique')}
      </Button>
    </div>
  )
}
