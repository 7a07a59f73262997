import type { FieldDefinition, Locale, SelectOption } from '@tessera/core'
import { assertNever, DEFAULT_CURRENCY, localize } from '@tessera/core'
import { ConfigProvider, Input, Radio, Select, Tag } from 'antd'
import type { FormItemProps } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { DEFAULT_MONEY_SCALE } from '../format/display-value.js'
import { ComputedValue } from './computed-value.js'
import { DateInput } from './date-input.js'
import { DateTimeInput } from './date-time-input.js'
import { LinesInput } from './lines-input.js'
import { NumberInput } from './number-input.js'
import { LinkSelect, type PickerBounds } from './link-select.js'
import { AttachmentInput } from './attachment-input.js'
import { DepartmentSelect } from './department-select.js'
import { MemberSelect } from './member-select.js'
import { MoneyInput } from './money-input.js'
import { PercentInput } from './percent-input.js'
import { RegionInput } from './region-input.js'

export const DATE_FORMAT = 'YYYY-MM-DD'

interface FieldControlProps {
  field: FieldDefinition
  app: string
  locale: Locale
  /** Titles of linked records, from RecordData.titles. */
  linkTitle?: string | null
  invalid: boolean
  /** For line items: the cells issues name ("1.price"; "*" for the whole field). */
  badCells?: readonly string[]
  /** Shown but not editable: a field read-only for the signed-in user. */
  disabled?: boolean
  /** The form's key and the record's id, for attachments' upload and download. */
  form?: string
  recordId?: number
  /** For a link: what the record being filled in says about the records it may point at. */
  bounds?: PickerBounds
}

/**
 * The Form.Item props a field type needs besides the defaults. Dates are
 * "YYYY-MM-DD" strings in the form state; only the picker sees dayjs.
 */
export function fieldItemProps(field: FieldDefinition): Partial<FormItemProps> {
  if (field.type !== 'date') return {}
  return {
    getValueProps: (value: unknown) => ({
      value: typeof value === 'string' && value ? dayjs(value, DATE_FORMAT) : null,
    }),
    normalize: (value: Dayjs | null) => (value ? value.format(DATE_FORMAT) : null),
  }
}

/**
 * The input for one field. Form.Item gives it `value` and `onChange`
 * (antd clones its only child with them), so each control here receives
 * them through its props.
 */
const YES_NO: Record<Locale, [string, string]> = { 'zh-CN': ['是', '否'], en: ['Yes', 'No'] }

function optionItems(options: readonly SelectOption[], locale: Locale) {
  return options.map((option) => ({
    value: option.value,
    label: option.color ? (
      <Tag color={option.color}>{localize(option.label, locale)}</Tag>
    ) : (
      localize(option.label, locale)
    ),
  }))
}

export function FieldControl(props: FieldControlProps) {
  if (!props.disabled) return <Control {...props} />
  // Disables every antd control inside, line items' cells and buttons too.
  return (
    <ConfigProvider componentDisabled>
      <Control {...props} />
    </ConfigProvider>
  )
}

function Control(props: FieldControlProps) {
  const { field, app, locale, linkTitle, invalid, badCells, disabled, form, recordId, bounds, ...injected } = props
  const status = invalid ? ('error' as const) : undefined
  const common = { ...injected, status, disabled }

  switch (field.type) {
    case 'text': {
      // Counted, not cut: a pasted text past the limit stays whole, marked, and validation names
      // the field and its limit (the input's own maxLength would drop the rest without a word).
      const count = field.maxLength === undefined ? undefined : { show: true, max: field.maxLength }
      return field.multiline ? (
        <Input.TextArea {...common} autoSize={{ minRows: 2, maxRows: 8 }} count={count} />
      ) : (
        <Input {...common} count={count} />
      )
    }
    case 'number':
      return (
        // Not antd's InputNumber: it clamps, rounds or empties what was typed
        // when the field is left, silently. The value stays as typed and
        // validation names what is wrong with it.
        <NumberInput {...common} />
      )
    case 'money':
      return (
        <MoneyInput
          {...common}
          scale={field.scale ?? DEFAULT_MONEY_SCALE}
          currency={field.currency ?? DEFAULT_CURRENCY}
        />
      )
    case 'percent':
      return <PercentInput {...common} />
    case 'date':
      return <DateInput {...common} min={field.min} max={field.max} label={localize(field.label, locale)} />
    case 'datetime':
      return <DateTimeInput {...common} label={localize(field.label, locale)} />
    case 'boolean':
      return (
        <Radio.Group
          {...common}
          optionType="button"
          options={[
            { value: true, label: YES_NO[locale][0] },
            { value: false, label: YES_NO[locale][1] },
          ]}
        />
      )
    case 'select':
      return <Select {...common} allowClear options={optionItems(field.options, locale)} />
    case 'multiselect':
      return (
        <Select
          {...common}
          mode="multiple"
          allowClear
          options={optionItems(field.options, locale)}
        />
      )
    case 'phone':
      return <Input {...common} inputMode="tel" autoComplete="tel" maxLength={40} />
    case 'email':
      return <Input {...common} inputMode="email" autoComplete="email" maxLength={254} />
    case 'bank_account':
      return <Input {...common} inputMode="numeric" autoComplete="off" maxLength={40} />
    case 'uscc':
      return <Input {...common} autoComplete="off" maxLength={24} className="code-input" />
    case 'region':
      return <RegionInput {...common} depth={field.depth ?? 3} />
    case 'link':
      return <LinkSelect {...common} app={app} form={field.form} initialTitle={linkTitle} bounds={bounds} />
    case 'member':
      return <MemberSelect {...common} multiple={field.multiple} />
    case 'department':
      return <DepartmentSelect {...common} multiple={field.multiple} />
    case 'attachment':
      return <AttachmentInput {...common} field={field} app={app} form={form ?? ''} recordId={recordId} />
    case 'formula':
    case 'autonumber':
    case 'rollup':
    case 'lookup':
      return <ComputedValue {...common} field={field} />
    case 'lines':
      return <LinesInput {...common} field={field} app={app} badCells={badCells} />
    default:
      return assertNever(field, 'field type')
  }
}
