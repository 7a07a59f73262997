import type { FieldDefinition, FormDefinition, FormSection } from '@tessera/core'
import { localize } from '@tessera/core'
import { useDroppable } from '@dnd-kit/core'
import { rectSortingStrategy, SortableContext, useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { Button, Input, Segmented, Tag, Tooltip } from 'antd'
import { useLocale } from '../locale-context.js'
import type { DesignIssues } from './design-issues.js'
import { enText, labelOf, zhText } from './design-issues.js'
import { typeName } from './field-palette.js'
import { IssueText } from './issue-text.js'

/** The ids dnd-kit knows canvas things by. */
export const fieldId = (key: string) => `field:${key}`
export const sectionId = (index: number) => `section:${index}`

interface CanvasProps {
  definition: FormDefinition
  sections: FormSection[]
  selected?: string
  issues: DesignIssues
  onSelect(key: string): void
  onStep(key: string, step: -1 | 1): void
  onRemove(key: string): void
  onSection(index: number, changes: Partial<FormSection>): void
  onRemoveSection(index: number): void
  onAddSection(): void
}

/**
 * The form as a designer sees it: sections of 1 to 3 columns holding
 * field cards. A card is selected by click, Enter or Space; moved by its
 * handle (mouse, or keyboard: Space, arrows, Space) or by ↑ ↓.
 */
export function BuilderCanvas(props: CanvasProps) {
  const { definition, sections, onAddSection } = props
  const { t } = useLocale()
  const byKey = new Map(definition.fields.map((field) => [field.key, field]))
  return (
    <div className="fb-canvas" aria-label={t('fb.canvas')} data-canvas="">
      {sections.map((section, index) => (
        <SectionBox key={index} index={index} section={section} count={sections.length}
          fields={section.fields.map((key) => byKey.get(key)!).filter(Boolean)} {...props} />
      ))}
      <Button onClick={onAddSection} data-action="add-section">+ {t('fb.addSection')}</Button>
    </div>
  )
}

function SectionBox(props: CanvasProps & { index: number; section: FormSection; fields: FieldDefinition[]; count: number }) {
  const { index, section, fields, count, onSection, onRemoveSection } = props
  const { t } = useLocale()
  const { setNodeRef, isOver } = useDroppable({ id: sectionId(index) })
  const columns = section.columns ?? 2
  return (
    <section className="fb-section" data-section={index}>
      <div className="fb-section-head">
        <Input size="small" className="fb-section-title" value={zhText(section.title)}
          placeholder={t('fb.sectionTitle')} aria-label={`${t('fb.sectionTitle')} ${index + 1}`}
          onChange={(e) => onSection(index, {
            title: e.target.value === '' && !enText(section.title) ? undefined
              : labelOf(e.target.value || enText(section.title), enText(section.title)),
          })} />
        <Input size="small" className="fb-section-title" value={enText(section.title)}
          placeholder={t('fb.sectionTitleEn')} aria-label={`${t('fb.sectionTitleEn')} ${index + 1}`}
          data-section-title-en={index}
          onChange={(e) => onSection(index, {
            // A title in English only stands for Chinese too, until a Chinese one is typed.
            title: e.target.value === '' && !zhText(section.title) ? undefined
              : labelOf(zhText(section.title) || e.target.value, e.target.value),
          })} />
        <Segmented size="small" value={columns} aria-label={`${t('fb.columns')} ${index + 1}`}
          data-section-columns={index}
          options={[1, 2, 3].map((n) => ({ value: n, label: `${n}` }))}
          onChange={(value) => onSection(index, { columns: value as 1 | 2 | 3 })} />
        {count > 1 && (
          <Button size="small" type="text" danger onClick={() => onRemoveSection(index)}>
            {t('fb.removeSection')}
          </Button>
        )}
      </div>
      <SortableContext items={fields.map((field) => fieldId(field.key))} strategy={rectSortingStrategy}>
        <div ref={setNodeRef} className={`fb-section-grid fb-cols-${columns}${isOver ? ' fb-over' : ''}`}>
          {fields.map((field) => <FieldCard key={field.key} field={field} {...props} />)}
          {fields.length === 0 && <div className="fb-empty-section">{t('fb.emptySection')}</div>}
        </div>
      </SortableContext>
    </section>
  )
}

function FieldCard(props: CanvasProps & { field: FieldDefinition }) {
  const { field, definition, selected, issues, onSelect, onStep, onRemove } = props
  const { locale, t } = useLocale()
  const sortable = useSortable({ id: fieldId(field.key) })
  const label = localize(field.label, locale)
  const wide = field.type === 'lines' || (field.type === 'text' && field.multiline)
  const problems = issues.byField.get(field.key) ?? []
  const classes = ['fb-field', wide ? 'fb-wide' : '', selected === field.key ? 'fb-selected' : '',
    problems.length > 0 ? 'fb-invalid' : '', sortable.isDragging ? 'fb-dragging' : ''].filter(Boolean)

  return (
    <div ref={sortable.setNodeRef} className={classes.join(' ')} data-canvas-field={field.key}
      style={{ transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition }}
      onClick={() => onSelect(field.key)}>
      <div className="fb-field-main">
        <button type="button" className="fb-field-label" aria-pressed={selected === field.key}
          aria-label={`${label} · ${typeName(field, locale)}`} data-select-field={field.key}
          onClick={(event) => {
            event.stopPropagation()
            onSelect(field.key)
          }}>
          {label}{field.required && <span className="fb-required">*</span>}
        </button>
        <span className="fb-field-meta">
          <Tag>{typeName(field, locale)}</Tag>
          <code>{field.key}</code>
          {definition.titleField === field.key && <Tag color="gold">T</Tag>}
          {field.visibleWhen !== undefined && <Tag color="purple">{t('fb.visibleWhen')}</Tag>}
          {field.requiredWhen !== undefined && <Tag color="magenta">{t('fb.requiredWhen')}</Tag>}
          {field.type === 'lines' && <span className="fb-line-keys">{field.fields.map((f) => zhText(f.label)).join(' · ')}</span>}
        </span>
        {problems.length > 0 && (
          <span className="fb-field-problem"><IssueText issue={problems[0]} definition={definition} /></span>
        )}
      </div>
      <div className="fb-field-tools" onClick={(e) => e.stopPropagation()}>
        <Tooltip title={t('fb.dragHandle', { label })}>
          <button type="button" ref={sortable.setActivatorNodeRef} className="fb-handle"
            data-drag-handle={field.key} {...sortable.attributes} {...sortable.listeners}
            aria-label={t('fb.dragHandle', { label })} aria-roledescription="sortable">⠿</button>
        </Tooltip>
        <Button size="small" type="text" aria-label={t('fb.moveUp', { label })} data-move-up={field.key}
          onClick={() => onStep(field.key, -1)}>↑</Button>
        <Button size="small" type="text" aria-label={t('fb.moveDown', { label })} data-move-down={field.key}
          onClick={() => onStep(field.key, 1)}>↓</Button>
        <Button size="small" type="text" danger aria-label={t('fb.remove', { label })} data-remove={field.key}
          onClick={() => onRemove(field.key)}>×</Button>
      </div>
    </div>
  )
}
