import type { FieldDefinition, Locale } from '@tessera/core'
import { assertNever, localize } from '@tessera/core'
import { DatePicker, Input, InputNumber, Select, Tag } from 'antd'
import type { FormItemProps } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { DEFAULT_MONEY_SCALE } from '../format/display-value.js'
import { LinkSelect } from './link-select.js'
import { MoneyInput } from './money-input.js'

export const DATE_FORMAT = 'YYYY-MM-DD'

interface FieldControlProps {
  field: FieldDefinition
  app: string
  locale: Locale
  /** Titles of linked records, from RecordData.titles. */
  linkTitle?: string | null
  invalid: boolean
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
export function FieldControl(props: FieldControlProps) {
  const { field, app, locale, linkTitle, invalid, ...injected } = props
  const status = invalid ? ('error' as const) : undefined
  const common = { ...injected, status }

  switch (field.type) {
    case 'text':
      return field.multiline ? (
        <Input.TextArea
          {...common}
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={field.maxLength}
        />
      ) : (
        <Input {...common} maxLength={field.maxLength} />
      )
    case 'number':
      return (
        <InputNumber
          {...common}
          className="number-input"
          precision={field.integer ? 0 : field.scale}
          min={field.min}
          max={field.max}
        />
      )
    case 'money':
      return (
        <MoneyInput
          {...common}
          scale={field.scale ?? DEFAULT_MONEY_SCALE}
          currency={field.currency}
        />
      )
    case 'date':
      return <DatePicker {...common} className="date-input" format={DATE_FORMAT} />
    case 'select':
      return (
        <Select
          {...common}
          allowClear
          options={field.options.map((option) => ({
            value: option.value,
            label: option.color ? (
              <Tag color={option.color}>{localize(option.label, locale)}</Tag>
            ) : (
              localize(option.label, locale)
            ),
          }))}
        />
      )
    case 'link':
      return <LinkSelect {...common} app={app} form={field.form} initialTitle={linkTitle} />
    default:
      return assertNever(field, 'field type')
  }
}
