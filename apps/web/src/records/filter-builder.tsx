import { localize, type FieldDefinition, type FormDefinition } from '@tessera/core'
import { Button, Input, Radio, Select } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useRef, useState } from 'react'
import { useLocale } from '../locale-context.js'
import { CompanyDatePicker } from './company-date-picker.js'
import { LinkSelect } from './link-select.js'
import { cleanMoneyText } from './form-values.js'
import {
  filterableFields,
  filterKind,
  OPS_BY_KIND,
  type FilterCondition,
  type FilterModel,
} from './list-filter.js'
import type { MessageKey } from '../i18n.js'

interface FilterBuilderProps {
  app: string
  definition: FormDefinition
  initial?: FilterModel
  onApply(model: FilterModel | undefined): void
  /** The title of a linked record, where the list has shown it. */
  titleOf?(field: string, id: number): string | undefined
  /** Hands every change to `onApply` as it is made, without an apply button (a setting, not a list). */
  live?: boolean
}

const NO_VALUE = new Set(['empty', 'notEmpty', 'yes', 'no'])

/**
 * Rows of (field, operator, value) joined by all/any. Applying hands the
 * rows to the list, which puts their json-logic in the URL. Test hooks:
 * `data-filter-row="<n>"` with `data-filter-part="field|op|value|value2"`,
 * buttons `data-action="filter-add|filter-apply|filter-clear"`.
 */
export function FilterBuilder({ app, definition, initial, onApply, titleOf, live = false }: FilterBuilderProps) {
  const { locale, t } = useLocale()
  const fields = filterableFields(definition)
  const byKey = new Map(fields.map((field) => [field.key, field]))
  const [join, setJoin] = useState<'and' | 'or'>(initial?.join ?? 'and')
  const [rows, setRows] = useState<FilterCondition[]>(initial?.conditions ?? [])
  // Live, each change is handed on as it is made (not the rows it started with).
  const started = useRef(false)
  useEffect(() => {
    if (!live) return
    if (started.current) onApply(rows.length ? { join, conditions: rows } : undefined)
    started.current = true
  }, [rows, join])

  const change = (i: number, patch: Partial<FilterCondition>) =>
    setRows((current) => current.map((row, j) => (j === i ? { ...row, ...patch } : row)))
  const pickField = (i: number, key: string) => {
    const kind = filterKind(byKey.get(key)!)!
    change(i, { field: key, op: OPS_BY_KIND[kind][0], value: undefined, value2: undefined })
  }
  const add = () => {
    const first = fields[0]
    if (!first) return
    const op = OPS_BY_KIND[filterKind(first)!][0]
    setRows((current) => [...current, { field: first.key, op }])
  }

  return (
    <div className="filter-builder" data-panel="filter">
      <div className="filter-join">
        {t('list.filter.match')}{' '}
        <Radio.Group size="small" value={join} onChange={(e) => setJoin(e.target.value)}>
          <Radio.Button value="and" data-join="and">{t('list.filter.all')}</Radio.Button>
          <Radio.Button value="or" data-join="or">{t('list.filter.any')}</Radio.Button>
        </Radio.Group>
      </div>
      {rows.length === 0 && <div className="filter-none">{t('list.filter.none')}</div>}
      {rows.map((row, i) => {
        const field = byKey.get(row.field)
        const kind = field ? filterKind(field) : undefined
        return (
          <div className="filter-row" key={i} data-filter-row={i}>
            <Select
              className="filter-field" data-filter-part="field" value={row.field}
              aria-label={t('list.filter.field')}
              options={fields.map((f) => ({ value: f.key, label: localize(f.label, locale) }))}
              onChange={(key) => pickField(i, key)}
              showSearch={{ optionFilterProp: 'label' }}
            />
            <Select
              className="filter-op" data-filter-part="op" value={row.op}
              options={(kind ? OPS_BY_KIND[kind] : []).map((op) => ({
                value: op, label: t(`list.op.${op}` as MessageKey),
              }))}
              onChange={(op) => change(i, { op })}
            />
            {field && !NO_VALUE.has(row.op) && (
              <ValueInput app={app} field={field} row={row} titleOf={titleOf}
                onChange={(patch) => change(i, patch)} />
            )}
            <Button type="text" aria-label={t('list.filter.remove')} data-action="filter-remove"
              onClick={() => setRows((current) => current.filter((_, j) => j !== i))}>✕</Button>
          </div>
        )
      })}
      <div className="filter-actions">
        <Button size="small" onClick={add} data-action="filter-add">{t('list.filter.add')}</Button>
        {!live && (
          <Button size="small" type="primary" data-action="filter-apply"
            onClick={() => onApply(rows.length ? { join, conditions: rows } : undefined)}>
            {t('list.filter.apply')}
          </Button>
        )}
        <Button size="small" data-action="filter-clear" onClick={() => { setRows([]); onApply(undefined) }}>
          {t('list.filter.clear')}
        </Button>
      </div>
    </div>
  )
}

interface ValueInputProps {
  app: string
  field: FieldDefinition
  row: FilterCondition
  onChange(patch: Partial<FilterCondition>): void
  titleOf?(field: string, id: number): string | undefined
}

function ValueInput({ app, field, row, onChange, titleOf }: ValueInputProps) {
  const { locale, t } = useLocale()
  if (field.type === 'link') {
    return (
      <span data-filter-part="value" className="filter-value">
        <LinkSelect app={app} form={field.form} value={row.value as number | undefined}
          initialTitle={typeof row.value === 'number' ? titleOf?.(field.key, row.value) : undefined}
          onChange={(value) => onChange({ value })} />
      </span>
    )
  }
  if (field.type === 'select' || field.type === 'multiselect') {
    return (
      <Select
        mode="multiple" className="filter-value" data-filter-part="value"
        value={(row.value as string[] | undefined) ?? []}
        options={field.options.map((o) => ({ value: o.value, label: localize(o.label, locale) }))}
        onChange={(value) => onChange({ value })}
      />
    )
  }
  if (field.type === 'date') {
    // The app's own picker, year first as every date in the app (the browser's own box
    // shows its locale's order: 12/06/2026 in an English browser).
    const picker = (part: 'value' | 'value2') => (
      <span className="filter-value" data-filter-part={part}>
        <CompanyDatePicker
          format="YYYY-MM-DD" placeholder={t('list.filter.value')}
          value={typeof row[part] === 'string' && row[part] !== '' ? dayjs(row[part] as string, 'YYYY-MM-DD') : null}
          onChange={(_picked, text) => onChange({ [part]: typeof text === 'string' && text !== '' ? text : undefined })}
        />
      </span>
    )
    if (row.op !== 'between') return picker('value')
    return <>{picker('value')}<span className="filter-to">{t('list.filter.to')}</span>{picker('value2')}</>
  }
  const type = field.type === 'datetime' ? 'datetime-local' : 'text'
  const box = (part: 'value' | 'value2') => (
    <Input
      className="filter-value" data-filter-part={part} type={type}
      // A phone offers its number pad for an amount, as the record form's money box does.
      {...(NUMERIC.has(field.type) ? { inputMode: 'decimal' as const } : {})}
      placeholder={t('list.filter.value')}
      value={(row[part] as string | undefined) ?? ''}
      onChange={(e) => onChange({ [part]: NUMERIC.has(field.type) ? cleanNumber(e.target.value) : e.target.value })}
      onPressEnter={(e) => e.preventDefault()}
    />
  )
  if (row.op !== 'between') return box('value')
  return <>{box('value')}<span className="filter-to">{t('list.filter.to')}</span>{box('value2')}</>
}

const NUMERIC = new Set(['number', 'money', 'percent'])

/** A number as people copy it ("1,000.10", "¥700") sent as the plain decimal the server reads. */
function cleanNumber(text: string): string {
  return cleanMoneyText(text) ?? text
}
