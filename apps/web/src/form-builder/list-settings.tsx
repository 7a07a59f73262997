import type { FieldIssue, FormDefinition, SortSpec } from '@tessera/core'
import { localize } from '@tessera/core'
import { Button, Select, Space } from 'antd'
import { useLocale } from '../locale-context.js'
import { DEFAULT_COLUMN_COUNT } from '../records/list-columns.js'
import { PartIssues } from './rule-settings.js'
import { isStored, stepItem, withList } from './setting-edits.js'
import { Setting } from './setting-inputs.js'
import { useFocusAfter } from './focus-after.js'

/**
 * The record list's columns (`ui.list.columns`, in order, moved with ↑ ↓)
 * and its first sort (`ui.list.defaultSort`). The list page uses them
 * until a user picks columns or a sort of their own.
 */
export function ListSettings({ definition, issues = [], onChange }: {
  definition: FormDefinition
  issues?: readonly FieldIssue[]
  onChange(definition: FormDefinition): void
}) {
  const { locale, t } = useLocale()
  const focusNext = useFocusAfter()
  const columns = definition.ui?.list?.columns ?? []
  const sorts = definition.ui?.list?.defaultSort ?? []
  const nameOf = (key: string) => {
    const field = definition.fields.find((f) => f.key === key)
    return field ? `${localize(field.label, locale)} (${key})` : key
  }
  const setColumns = (next: string[]) => onChange(withList(definition, { columns: next }))
  const setSorts = (next: SortSpec[]) => onChange(withList(definition, { defaultSort: next }))
  const setSort = (index: number, sort: SortSpec) => setSorts(sorts.map((one, at) => (at === index ? sort : one)))
  const unshown = definition.fields.filter((f) => !columns.includes(f.key))
  // Line items, lookups and attachments give records no order.
  const sortable = definition.fields.filter((f) => isStored(f) && f.type !== 'attachment')
  const unsorted = sortable.filter((f) => !sorts.some((sort) => sort.field === f.key))

  return (
    <div className="fb-rules" data-list-settings="">
      <div className="fb-rules-title">{t('fb.list')}</div>
      <div className="fb-muted">{t('fb.listHelp')}</div>
      <Setting label={t('fb.listColumns')} hook="list-columns">
        <PartIssues issues={issues} prefix="ui.list.columns" definition={definition} />
        {columns.length === 0 && (
          <div className="fb-muted">{t('fb.listColumnsDefault', { count: String(DEFAULT_COLUMN_COUNT) })}</div>
        )}
        <ol className="fb-list-columns">
          {columns.map((key, index) => (
            <li key={key} className="fb-list-column" data-list-column={key}>
              <span>{nameOf(key)}</span>
              <Space size={0}>
                <Button size="small" type="text" disabled={index === 0} data-column-up={key}
                  aria-label={t('fb.moveUp', { label: nameOf(key) })}
                  onClick={() => {
                    setColumns(stepItem(columns, index, -1))
                    focusNext(`[data-column-up="${key}"]`, `[data-column-down="${key}"]`)
                  }}>↑</Button>
                <Button size="small" type="text" disabled={index === columns.length - 1} data-column-down={key}
                  aria-label={t('fb.moveDown', { label: nameOf(key) })}
                  onClick={() => {
                    setColumns(stepItem(columns, index, 1))
                    focusNext(`[data-column-down="${key}"]`, `[data-column-up="${key}"]`)
                  }}>↓</Button>
                <Button size="small" type="text" danger data-column-remove={key}
                  aria-label={t('fb.remove', { label: nameOf(key) })}
                  onClick={() => {
                    setColumns(columns.filter((_, at) => at !== index))
                    const neighbour = columns[index + 1] ?? columns[index - 1]
                    focusNext(`[data-column-remove="${neighbour}"]`, '[data-action="add-column"]')
                  }}>×</Button>
              </Space>
            </li>
          ))}
        </ol>
        <Select size="small" value={null} showSearch optionFilterProp="label" className="fb-add-select"
          placeholder={`+ ${t('fb.addColumn')}`} aria-label={t('fb.addColumn')} disabled={unshown.length === 0}
          data-action="add-column"
          options={unshown.map((f) => ({ value: f.key, label: nameOf(f.key) }))}
          onChange={(key: string) => {
            setColumns([...columns, key])
            focusNext('[data-action="add-column"]')
          }} />
      </Setting>

      <Setting label={t('fb.defaultSort')} hook="list-sort" extra={sorts.length > 0 ? t('fb.sortHelp') : undefined}>
        <PartIssues issues={issues} prefix="ui.list.defaultSort" definition={definition} />
        {sorts.length === 0 && <div className="fb-muted">{t('fb.defaultSortNone')}</div>}
        {sorts.map((sort, index) => (
          <div key={index} className="fb-sort-row" data-sort={index}>
            <Select size="small" value={sort.field || undefined} data-sort-field={index}
              aria-label={t('fb.sortField', { n: String(index + 1) })} showSearch optionFilterProp="label"
              options={sortable.map((f) => ({ value: f.key, label: nameOf(f.key) }))}
              onChange={(field: string) => setSort(index, { ...sort, field })} />
            <Select size="small" value={sort.dir} aria-label={t('fb.sortDir', { n: String(index + 1) })}
              data-sort-dir={index}
              options={[{ value: 'asc', label: t('fb.sortAsc') }, { value: 'desc', label: t('fb.sortDesc') }]}
              onChange={(dir: SortSpec['dir']) => setSort(index, { ...sort, dir })} />
            <Button size="small" type="text" danger aria-label={t('fb.remove', { label: nameOf(sort.field) })}
              onClick={() => {
                setSorts(sorts.filter((_, at) => at !== index))
                focusNext('[data-action="add-sort"]')
              }}>×</Button>
          </div>
        ))}
        <Button size="small" data-action="add-sort" disabled={unsorted.length === 0}
          onClick={() => {
            setSorts([...sorts, { field: unsorted[0].key, dir: 'asc' }])
            focusNext(`[data-sort-field="${sorts.length}"]`)
          }}>+ {t('fb.addSort')}</Button>
      </Setting>
    </div>
  )
}
