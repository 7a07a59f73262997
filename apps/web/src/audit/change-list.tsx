import { localize, type FieldDefinition } from '@tessera/core'
import { formatFieldValue } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'
import { changedFields } from './changed-fields.js'

interface ChangeListProps {
  before: unknown
  after: unknown
  /** The form's fields, to show labels and formatted values; absent for other documents. */
  fields?: FieldDefinition[]
}

/**
 * "field: before → after" for each field an audit row changed. Values are
 * rendered as React text (never as HTML), so whatever a record holds stays
 * inert.
 */
export function ChangeList({ before, after, fields = [] }: ChangeListProps) {
  const { locale } = useLocale()
  const changes = changedFields(before, after, fields.map((f) => f.key))
  const show = (key: string, value: unknown) => {
    if (value === null || value === undefined) return '—'
    const field = fields.find((f) => f.key === key)
    if (field) return formatFieldValue(field, value, locale) || '—'
    return typeof value === 'string' ? value : JSON.stringify(value)
  }

  return (
    <dl className="change-list" data-changes={changes.length}>
      {changes.map(({ key, before: old, after: now }) => {
        const field = fields.find((f) => f.key === key)
        return (
          <div key={key} className="change-list-item" data-field={key}>
            <dt>{field ? localize(field.label, locale) : key}</dt>
            <dd>
              <span className="change-before">{show(key, old)}</span>
              {' → '}
              <span className="change-after">{show(key, now)}</span>
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
