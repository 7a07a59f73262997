import { localize, type FormDefinition } from '@tessera/core'
import { Button, Checkbox, Popover } from 'antd'
import { useLocale } from '../locale-context.js'
import { columnCandidates } from './column-choice.js'

interface ColumnChooserProps {
  definition: FormDefinition
  /** Keys of the shown columns, in order. */
  shown: readonly string[]
  onChange(keys: string[] | undefined): void
}

/**
 * Show, hide and reorder a list's columns: shown columns first in their
 * order (with up/down), then the hidden ones. Test hooks: the button
 * `data-action="columns"`, each row `data-column-choice="<key>"`.
 */
export function ColumnChooser({ definition, shown, onChange }: ColumnChooserProps) {
  const { locale, t } = useLocale()
  const candidates = columnCandidates(definition)
  const byKey = new Map(candidates.map((field) => [field.key, field]))
  const hidden = candidates.filter((field) => !shown.includes(field.key)).map((field) => field.key)
  const rows = [...shown.filter((key) => byKey.has(key)), ...hidden]

  const toggle = (key: string, on: boolean) => {
    const next = on ? [...shown, key] : shown.filter((k) => k !== key)
    if (next.length) onChange(next)
  }
  const move = (key: string, by: number) => {
    const next = [...shown]
    const at = next.indexOf(key)
    const to = at + by
    if (at < 0 || to < 0 || to >= next.length) return
    ;[next[at], next[to]] = [next[to], next[at]]
    onChange(next)
  }

  const content = (
    <div className="column-chooser">
      {rows.map((key) => {
        const on = shown.includes(key)
        const at = shown.indexOf(key)
        return (
          <div key={key} className="column-choice" data-column-choice={key}>
            <Checkbox
              checked={on}
              disabled={on && shown.length === 1}
              onChange={(e) => toggle(key, e.target.checked)}
            >
              {localize(byKey.get(key)!.label, locale)}
            </Checkbox>
            <span className="column-choice-move">
              <Button size="small" type="text" disabled={!on || at === 0}
                aria-label={`${t('list.columns.up')}「${localize(byKey.get(key)!.label, locale)}」`} data-action="column-up"
                onClick={() => move(key, -1)}>↑</Button>
              <Button size="small" type="text" disabled={!on || at === shown.length - 1}
                aria-label={`${t('list.columns.down')}「${localize(byKey.get(key)!.label, locale)}」`} data-action="column-down"
                onClick={() => move(key, 1)}>↓</Button>
            </span>
          </div>
        )
      })}
      <Button size="small" type="link" onClick={() => onChange(undefined)} data-action="columns-reset">
        {t('list.columns.reset')}
      </Button>
    </div>
  )
  return (
    <Popover content={content} trigger="click" placement="bottomRight">
      <Button data-action="columns">{t('list.columns')}</Button>
    </Popover>
  )
}
