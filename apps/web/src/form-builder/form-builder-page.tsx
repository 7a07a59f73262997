import type { FieldIssue, FormDefinition } from '@tessera/core'
import { localize } from '@tessera/core'
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core'
import { useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Segmented, Space, Tag, Typography } from 'antd'
import { useEffect, useMemo, useRef, useState } from 'react'
import { isApiError } from '../api/api-error.js'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'
import { routeHref } from '../routing/route.js'
import { guardLeaving } from '../routing/use-route.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { BuilderApp } from './builder-context.js'
import { BuilderCanvas } from './builder-canvas.js'
import { BuilderPalette } from './builder-palette.js'
import { BuilderPreview } from './builder-preview.js'
import {
  addField, addSection, layoutOf, moveField, placeOf, removeField, removeSection, stepField, updateSection,
  type Place,
} from './definition-edits.js'
import { designIssues, placeIssues } from './design-issues.js'
import { canvasCollisions, readingOrderMoves } from './drag-moves.js'
import { FieldProperties } from './field-properties.js'
import { newField, paletteEntry } from './field-palette.js'
import {
  previewPublish, publishDesign, saveDesign, useFormDesign, useFormDesigns,
  type FormDesign, type PublishChanges,
} from './form-builder-api.js'
import { FormSettings } from './form-settings.js'
import { PublishDialog } from './publish-dialog.js'
import './form-builder.css'
import { IssueText } from './issue-text.js'

/** #/apps/:app/form-builder/:form: design one form, preview it, save its draft, publish it. */
export default function FormBuilderPage({ app, form }: { app: string; form: string }) {
  const design = useFormDesign(app, form)
  const designs = useFormDesigns(app)
  const failed = design.isError ? design : designs.isError ? designs : undefined
  if (failed) return <LoadProblem error={failed.error} onRetry={() => failed.refetch()} />
  if (!design.data || !designs.data) return <PageLoading />
  const forms = designs.data.filter((f) => f.publishedVersion !== null || f.key === form)
    .map((f) => ({ key: f.key, label: f.label }))
  return (
    <BuilderApp.Provider value={app}>
      <FormBuilder app={app} design={design.data} forms={forms} />
    </BuilderApp.Provider>
  )
}

function FormBuilder({ app, design, forms }: { app: string; design: FormDesign; forms: { key: string; label: FormDefinition['label'] }[] }) {
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const client = useQueryClient()
  const [definition, setDefinitionState] = useState(design.definition)
  const [state, setState] = useState({ version: design.publishedVersion, changed: design.unpublishedChanges })
  const [dirty, setDirty] = useState(false)
  const [selected, setSelected] = useState<string | undefined>()
  const [tab, setTab] = useState<'design' | 'preview'>('design')
  const [serverIssues, setServerIssues] = useState<FieldIssue[]>([])
  const [saving, setSaving] = useState(false)
  const [dragging, setDragging] = useState<string | undefined>()
  const [dialog, setDialog] = useState<{ changes?: PublishChanges; error?: string; publishing: boolean }>()

  const formKeys = forms.map((f) => f.key)
  const issues = useMemo(() => {
    const local = designIssues(definition, formKeys)
    return local.all.length > 0 ? local : placeIssues(definition, serverIssues)
  }, [definition, serverIssues, formKeys.join()])
  const sections = layoutOf(definition)
  const field = definition.fields.find((f) => f.key === selected)
  const order = useRef<string[]>([])
  order.current = sections.flatMap((section) => section.fields.map((key) => `field:${key}`))
  const [moves] = useState(() => readingOrderMoves(() => order.current))
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: moves }),
  )

  // Closing or reloading the tab, or going to another page of the app, asks
  // first while there are unsaved changes.
  useEffect(() => {
    if (!dirty) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    const unguard = guardLeaving(() => window.confirm(t('fb.leaveUnsaved')))
    return () => {
      window.removeEventListener('beforeunload', warn)
      unguard()
    }
  }, [dirty, t])

  const nameOf = (id: string | number | undefined) => {
    const text = String(id ?? '')
    if (text.startsWith('palette:')) return paletteEntry(text.slice(8))?.name[locale] ?? text
    const found = definition.fields.find((f) => f.key === text.slice(6))
    return found ? localize(found.label, locale) : text
  }
  const accessibility = {
    screenReaderInstructions: { draggable: t('fb.dnd.instructions') },
    announcements: {
      onDragStart: ({ active }: { active: { id: string | number } }) => t('fb.dnd.start', { label: nameOf(active.id) }),
      onDragOver: ({ active, over }: { active: { id: string | number }; over: { id: string | number } | null }) =>
        over ? t('fb.dnd.over', { label: nameOf(active.id), target: nameOf(over.id) }) : undefined,
      onDragEnd: ({ active }: { active: { id: string | number } }) => t('fb.dnd.end', { label: nameOf(active.id) }),
      onDragCancel: ({ active }: { active: { id: string | number } }) => t('fb.dnd.cancel', { label: nameOf(active.id) }),
    },
  }

  const edit = (next: FormDefinition) => {
    setDefinitionState(next)
    setDirty(true)
    setServerIssues([])
  }
  const add = (entry: string, at?: Place) => {
    const created = newField(entry, definition, { locale, forms: formKeys })
    const after = selected ? placeOf(definition, selected) : undefined
    edit(addField(definition, created, at ?? (after && { section: after.section, index: after.index + 1 })))
    setSelected(created.key)
  }
  const placeFor = (overId: string): Place | undefined => {
    if (overId.startsWith('section:')) {
      const section = Number(overId.slice(8))
      return { section, index: sections[section]?.fields.length ?? 0 }
    }
    return placeOf(definition, overId.slice(6))
  }
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(undefined)
    const id = String(active.id)
    const place = over ? placeFor(String(over.id)) : undefined
    if (!place || id === String(over?.id)) return
    if (id.startsWith('palette:')) add(id.slice(8), place)
    else edit(moveField(definition, id.slice(6), place))
  }

  const save = async (): Promise<boolean> => {
    if (issues.all.length > 0) {
      message.error(t('fb.problems', { count: issues.all.length }))
      return false
    }
    setSaving(true)
    try {
      const saved = await saveDesign(app, definition, locale)
      setDirty(false)
      setState({ version: saved.publishedVersion, changed: saved.unpublishedChanges })
      return true
    } catch (error) {
      if (isApiError(error) && error.issues.length > 0) setServerIssues(error.issues)
      message.error(error instanceof Error ? error.message : String(error))
      return false
    } finally {
      setSaving(false)
    }
  }

  const openPublish = async () => {
    setDialog({ publishing: false })
    if (!(await save())) {
      setDialog({ publishing: false, error: t('fb.problems', { count: Math.max(1, issues.all.length) }) })
      return
    }
    try {
      setDialog({ publishing: false, changes: await previewPublish(app, definition.key, locale) })
    } catch (error) {
      setDialog({ publishing: false, error: error instanceof Error ? error.message : String(error) })
    }
  }

  const publish = async () => {
    setDialog((current) => current && { ...current, publishing: true })
    try {
      const result = await publishDesign(app, definition.key, locale)
      const fresh = await apiRequest<FormDesign>({ path: apiPath('apps', app, 'form-designs', definition.key), locale })
      setDefinitionState(fresh.definition)
      setState({ version: fresh.publishedVersion, changed: fresh.unpublishedChanges })
      setDirty(false)
      setDialog(undefined)
      message.success(t('fb.published', { version: result.version }))
      // Menus, the form's pages and the designs list read the new version.
      await client.invalidateQueries({ predicate: (query) => {
        const [, kind, appKey] = query.queryKey as unknown[]
        return appKey === app && ['app', 'form', 'form-designs', 'records'].includes(String(kind))
      } })
    } catch (error) {
      setDialog((current) => current && { ...current, publishing: false, error: error instanceof Error ? error.message : String(error) })
    }
  }

  const stateTag = state.version === null ? <Tag color="orange">{t('fb.stateDraft')}</Tag>
    : state.changed || dirty ? <Tag color="gold">{t('fb.stateChanged', { version: state.version })}</Tag>
    : <Tag color="green">{t('fb.statePublished', { version: state.version })}</Tag>

  return (
    <div className="fb-page" data-form-builder={definition.key}>
      <div className="fb-header">
        <div>
          <a href={routeHref({ name: 'form-designs', app })} className="back-link">← {t('fb.designs')}</a>
          <Typography.Title level={3} className="page-title">
            {t('fb.title')} · {localize(definition.label, locale)}
          </Typography.Title>
          <Space size={4} wrap>
            {stateTag}
            {dirty && <Tag data-unsaved="">{t('fb.unsaved')}</Tag>}
          </Space>
        </div>
        <Space wrap>
          <Segmented value={tab} onChange={(value) => setTab(value as 'design' | 'preview')} data-builder-tab=""
            options={[{ value: 'design', label: t('fb.designTab') }, { value: 'preview', label: t('fb.preview') }]} />
          <Button onClick={async () => { if (await save()) message.success(t('fb.saved')) }} loading={saving}
            data-action="save-draft">{t('fb.saveDraft')}</Button>
          <Button type="primary" onClick={openPublish} data-action="publish">{t('fb.publish')}</Button>
          {state.version !== null && (
            <Button href={routeHref({ name: 'list', app, form: definition.key })} data-action="open-form">
              {t('fb.open')}
            </Button>
          )}
        </Space>
      </div>
      {issues.all.length > 0 && (
        <Alert type="warning" showIcon className="fb-issues" data-design-issues={issues.all.length}
          title={t('fb.problems', { count: issues.all.length })}
          description={issues.all.slice(0, 5).map((issue, i) => (
            <div key={i}><IssueText issue={issue} definition={definition} /></div>
          ))} />
      )}
      <DndContext sensors={sensors} collisionDetection={canvasCollisions} onDragEnd={onDragEnd}
        accessibility={accessibility}
        onDragStart={({ active }) => setDragging(String(active.id))} onDragCancel={() => setDragging(undefined)}>
        <div className="fb-layout">
          <BuilderPalette onAdd={(entry) => add(entry)} />
          <section className="fb-main">
            {tab === 'design' ? (
              <BuilderCanvas definition={definition} sections={sections} selected={selected} issues={issues}
                onSelect={(key) => {
                  setSelected(key)
                  // Below the canvas on narrow screens: bring the properties into view.
                  if (window.innerWidth < 1100) {
                    requestAnimationFrame(() => document.querySelector('.fb-side')?.scrollIntoView({ block: 'start' }))
                  }
                }}
                onStep={(key, step) => edit(stepField(definition, key, step))}
                onRemove={(key) => {
                  edit(removeField(definition, key))
                  if (selected === key) setSelected(undefined)
                }}
                onSection={(index, changes) => edit(updateSection(definition, index, changes))}
                onRemoveSection={(index) => edit(removeSection(definition, index))}
                onAddSection={() => edit(addSection(definition, undefined))} />
            ) : (
              <BuilderPreview app={app} definition={definition} issues={issues} />
            )}
          </section>
          <Card size="small" className="fb-side" title={field ? t('fb.properties') : t('fb.formSettings')}
            extra={field && (
              <Button size="small" type="link" data-action="form-settings" onClick={() => setSelected(undefined)}>
                {t('fb.formSettings')}
              </Button>
            )}>
            {field ? (
              // Keyed by position, not by key: renaming a field (committed when the
              // key box loses focus to a click elsewhere in the panel) must not
              // remount the panel under that click, or the click is lost.
              <FieldProperties key={`at-${definition.fields.indexOf(field)}`} field={field} definition={definition}
                forms={forms}
                issues={issues.byField.get(field.key) ?? []} onDefinition={edit} onRenamed={setSelected}
                onRemove={() => {
                  edit(removeField(definition, field.key))
                  setSelected(undefined)
                }} />
            ) : (
              <FormSettings definition={definition} issues={issues.all} onChange={edit} />
            )}
          </Card>
        </div>
        <DragOverlay>
          {dragging?.startsWith('palette:') ? (
            <div className="fb-palette-item fb-overlay">{paletteEntry(dragging.slice(8))?.name[locale]}</div>
          ) : null}
        </DragOverlay>
      </DndContext>
      <PublishDialog open={dialog !== undefined} title={t('fb.publishTitle', { form: localize(definition.label, locale) })}
        changes={dialog?.changes} error={dialog?.error} publishing={dialog?.publishing ?? false}
        onPublish={publish} onClose={() => setDialog(undefined)} />
    </div>
  )
}

