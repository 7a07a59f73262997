import { localize, type FieldDefinition } from '@tessera/core'
import { formatFieldValue } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'
import { changedFields } from './changed-fields.js'

interface ChangeListProps {
  before: unknown
  after: unknown
  /** The form's fields, to show labels and formatted values; absent for other documents. */
  fields?: FieldDefinition[]
  /** Names to show for ids (linked records, people), by side and field key. */
  titles?: { before: Record<string, string | null>; after: Record<string, string | null> }
}

/**
 * "field: before → after" for each field an audit row changed. Values are
 * rendered as React text (never as HTML), so whatever a record holds stays
 * inert.
 */
export function ChangeList({ before, after, fields = [], titles }: ChangeListProps) {
  const { locale } = useLocale()
  const changes = changedFields(before, after, fields.map((f) => f.key))
  const show = (key: string, value: unknown, side: 'before' | 'after') => {
    if (value === null || value === undefined) return '—'
    const title = titles?.[side]?.[key]
    if (typeof title === 'string' && title !== '') return title
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
              <span className="change-before">{show(key, old, 'before')}</span>
              {' → '}
              <span className="change-after">{show(key, now, 'after')}</span>
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
