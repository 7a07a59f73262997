import type {
  FieldDefinition,
  FieldType,
  FormDefinition,
  Locale,
  RecordData,
  SortSpec,
} from '@tessera/core'
import { isSortableField, localize } from '@tessera/core'
import { Tag } from 'antd'
import type { TableColumnsType } from 'antd'
import type { HTMLAttributes } from 'react'
import { storedAs } from '@tessera/forms'
import { formatFieldValue } from '../format/display-value.js'
import { routeHref } from '../routing/route.js'
import { columnSortOrder } from './list-sort.js'

/** Columns shown when ui.list.columns does not say. */
export const DEFAULT_COLUMN_COUNT = 6

/**
 * The fields a list shows: ui.list.columns in order, else the first fields
 * but line items (a cell of a list cannot show a table).
 */
export function listFields(definition: FormDefinition): FieldDefinition[] {
  const named = definition.ui?.list?.columns
  if (!named || named.length === 0) {
    return definition.fields.filter((field) => field.type !== 'lines').slice(0, DEFAULT_COLUMN_COUNT)
  }
  const byKey = new Map(definition.fields.map((field) => [field.key, field]))
  return named.flatMap((key) => byKey.get(key) ?? [])
}

function renderCell(field: FieldDefinition, record: RecordData, options: ListColumnOptions) {
  const { locale, timeZone } = options
  const value = record.values[field.key]
  const text = formatFieldValue(field, value, locale, record.titles?.[field.key], timeZone)
  if (text === '') return text
  if (field.type === 'select') {
    const option = field.options.find((candidate) => candidate.value === value)
    return <Tag color={option?.color}>{text}</Tag>
  }
  if (field.type === 'multiselect' && Array.isArray(value)) {
    return value.map((one) => {
      const option = field.options.find((candidate) => candidate.value === one)
      const label = option ? localize(option.label, locale) : String(one)
      return <Tag key={String(one)} color={option?.color}>{label}</Tag>
    })
  }
  return text
}

const RIGHT_ALIGNED = new Set<FieldType>(['money', 'number', 'percent'])

interface ListColumnOptions {
  app: string
  definition: FormDefinition
  locale: Locale
  sort: readonly SortSpec[]
  /** The company time zone, for date-time cells. */
  timeZone?: string
  /** Field keys of the columns to show, in order (the user's choice); else listFields. */
  keys?: readonly string[]
}

/**
 * Table columns of a record list. The title field (else the first column)
 * links to the record. Sorting happens on the server; the columns only show
 * the current order. Cells carry `data-column="<field key>"`.
 */
export function listColumns(options: ListColumnOptions): TableColumnsType<RecordData> {
  const { app, definition, locale, sort, keys } = options
  const byKey = new Map(definition.fields.map((field) => [field.key, field]))
  const fields = keys ? keys.flatMap((key) => byKey.get(key) ?? []) : listFields(definition)
  const linkKey = fields.some((field) => field.key === definition.titleField)
    ? definition.titleField
    : fields[0]?.key

  return fields.map((field) => ({
    key: field.key,
    dataIndex: ['values', field.key],
    title: localize(field.label, locale),
    align: RIGHT_ALIGNED.has(storedAs(field).type) ? 'right' : 'left',
    // The server orders by neither line items nor attachments: their headers offer no sort.
    sorter: isSortableField(field),
    sortOrder: isSortableField(field) ? columnSortOrder(sort, field.key) : null,
    sortDirections: ['ascend', 'descend'],
    className: `cell-${field.type}`,
    onCell: () => ({ 'data-column': field.key }) as HTMLAttributes<HTMLElement>,
    render: (_value: unknown, record: RecordData) => {
      const content = renderCell(field, record, options)
      if (field.key !== linkKey) return content
      const href = routeHref({ name: 'record', app, form: definition.key, id: record.id })
      return (
        <a href={href} onClick={(event) => event.stopPropagation()}>
          {content === '' ? `#${record.id}` : content}
        </a>
      )
    },
  }))
}
