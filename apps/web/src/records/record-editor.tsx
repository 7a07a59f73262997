import type { FieldIssue, PublishedForm, RecordData } from '@tessera/core'
import { localize, type FormAction } from '@tessera/core'
import { boundInputs, pickerBounds } from '@tessera/forms'
import { Alert, App, Button, Col, Form, Popconfirm, Row, Space, Typography } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useRef, useState } from 'react'
import { isApiError } from '../api/api-error.js'
import { useSettings } from '../api/queries.js'
import { useCurrentUser } from '../auth/current-user.js'
import { useLocale } from '../locale-context.js'
import { useCompanyTime } from '../format/zoned-time.js'
import { hereNow, navigate } from '../routing/use-route.js'
import { moveFocusOnEnter } from './enter-to-next.js'
import { FieldControl, fieldItemProps } from './field-control.js'
import { issuesOf, lineCellsOf, placeIssues } from './field-issues.js'
import { closedPeriodOf } from './closed-period.js'
import { resolveSections } from './form-sections.js'
import { initialFormValues, recordValues, type FormValues } from './form-values.js'
import type { PickerBounds } from './link-select.js'
import { liveLogic, sameLogic } from './form-logic.js'
import { lookupsByLink, readLookups } from './live-lookups.js'
import { useRecordMutations } from './record-mutations.js'
import { useRecordDraft } from './use-record-draft.js'
import { validateRecord } from './validate-record.js'

interface RecordEditorProps {
  app: string
  form: PublishedForm
  /** Absent when creating. */
  record?: RecordData
  onReload(): void
  /** The signed-in user's actions on the form; Save and Delete show only when allowed. */
  actions?: FormAction[]
  /** Keys of fields the signed-in user may see but not change. */
  readonly?: readonly string[]
  /** Keep unsaved values as a draft for the signed-in user (not in previews). */
  keepDrafts?: boolean
}

type FieldMessages = Record<string, string[]>

function withField(messages: FieldMessages, key: string, list: string[]): FieldMessages {
  const next = { ...messages }
  if (list.length > 0) next[key] = list
  else delete next[key]
  return next
}

/**
 * The generated form of one record. Validation runs in the browser with
 * the server's rules: a field is checked when it is left, rechecked while
 * it shows a message, and everything is checked on save. Issues the server
 * answers with land on the same fields.
 *
 * With `keepDrafts`, what the user types is kept in the browser as their
 * draft of this record and offered again when the form opens; a new
 * record can be saved with "save and add another", which keeps the page
 * open for the next one.
 *
 * Test hooks: every field's item carries `data-field="<key>"`; the buttons
 * `data-action="save" | "save-and-new" | "cancel" | "delete"`; the draft
 * notice `data-alert="draft"` with `data-action="restore-draft" | "discard-draft"`.
 */
export function RecordEditor(props: RecordEditorProps) {
  const { app, form: published, record, onReload, actions, readonly, keepDrafts } = props
  const { locale, t } = useLocale()
  const time = useCompanyTime()
  const { message } = App.useApp()
  const [form] = Form.useForm<FormValues>()
  const definition = published.definition
  const [fieldMessages, setFieldMessages] = useState<FieldMessages>({})
  // The cells of line-items fields that issues name ("1.price"), to outline only those.
  const [lineCells, setLineCells] = useState<FieldMessages>({})
  const [general, setGeneral] = useState<string[]>([])
  const [conflict, setConflict] = useState(false)
  const { save, remove } = useRecordMutations(app, definition.key, record)

  const sections = useMemo(
    () => resolveSections(definition, locale, t('form.otherFields')),
    [definition, locale, t],
  )
  const me = useCurrentUser()
  const draft = useRecordDraft(keepDrafts
    ? { user: String(me.id), app, form: published.key, id: record?.id, version: record?.version }
    : undefined)
  const afterSave = useRef<'list' | 'next'>('list')
  const settings = useSettings().data
  const initialValues = useMemo(
    () => initialFormValues(definition, record, { id: me.id, departmentId: me.department?.id, today: settings?.today }),
    [definition, record, me.id, me.department?.id, settings?.today],
  )
  const fieldKeys = definition.fields.map((field) => field.key)
  const lineKeys = new Set(definition.fields.filter((field) => field.type === 'lines').map((field) => field.key))
  const listRoute = { name: 'list', app, form: definition.key } as const

  const queryClient = useQueryClient()
  const logicOptions = { locale, today: settings?.today, timeZone: settings?.timeZone }
  const [logic, setLogic] = useState(() => liveLogic(published, initialValues, logicOptions))

  const currentValues = () => recordValues(definition, form.getFieldsValue(true))
  // Each link's picker offers only the records in its range (`pickWhere`) that the form's agreements
  // let this one point at (an allocation's invoices: its receipt's customer's), read from what is
  // filled in when it opens.
  const pickerInputs = useMemo(() => new Map(definition.fields.flatMap((field) => field.type === 'link'
    ? [[field.key, { inputs: boundInputs(pickerBounds(definition, field.key)), ranged: field.pickWhere !== undefined }] as const]
    : [])), [definition])
  const boundsOf = (key: string): PickerBounds | undefined => {
    const { inputs = [], ranged = false } = pickerInputs.get(key) ?? {}
    if (inputs.length === 0 && !ranged) return undefined
    return {
      for: `${definition.key}.${key}`,
      read: () => {
        const values = currentValues()
        return Object.fromEntries(inputs.flatMap((input) =>
          values[input] === null || values[input] === undefined || values[input] === '' ? [] : [[input, values[input]]]))
      },
    }
  }
  // A stored record dated in a closed period is kept as it is: the server refuses changing or
  // deleting it, so the form says so up front and offers neither.
  const closedPeriod = record ? closedPeriodOf(definition, record.values, settings?.closedThrough) : undefined
  const closed = closedPeriod !== undefined
  const recheck = (key: string) => {
    const issues = validateRecord(published, currentValues(), logicOptions)
    setFieldMessages((previous) => withField(previous, key, issuesOf(issues, key)))
    if (lineKeys.has(key)) setLineCells((previous) => withField(previous, key, lineCellsOf(issues, key)))
  }

  // A link's lookups show the record it now points at (read from the server), once it answers and
  // only if the link still points there. (Form logic reads no lookups: nothing else changes.)
  const lookupLinks = useMemo(() => lookupsByLink(definition), [definition])
  const fillLookups = async (link: string, id: unknown) => {
    const values = await readLookups(app, definition, link, id, locale)
    if (values && form.getFieldValue(link) === id) form.setFieldsValue(values)
  }

  // Formulas, visibility and requirements follow every keystroke, computed
  // by the same code the server runs when the record is saved.
  const refreshLogic = () => {
    const next = liveLogic(published, currentValues(), logicOptions)
    if (JSON.stringify(next.computed) !== JSON.stringify(logic.computed)) {
      form.setFieldsValue(next.computed)
    }
    if (!sameLogic(next, logic)) setLogic(next)
  }

  /**
   * Puts each problem under its field; one about a field not shown (hidden
   * by its condition) or about no field goes above the form. Returns what
   * no field shows, for the toast to say itself rather than point at
   * marks that are not there.
   */
  const show = (issues: readonly FieldIssue[]): string[] => {
    const placed = placeIssues(issues, fieldKeys.filter((key) => !logic.hidden.has(key)))
    setFieldMessages(placed.byField)
    setLineCells(Object.fromEntries([...lineKeys].map((key) => [key, lineCellsOf(issues, key)])))
    setGeneral(placed.general)
    const first = fieldKeys.find((key) => placed.byField[key])
    if (first) form.scrollToField(first, { block: 'center', focus: true })
    return first ? [] : placed.general
  }
  const toast = (unplaced: string[]) =>
    message.error(unplaced.length > 0 ? unplaced.join(t('form.issueSeparator')) : t('form.fixErrors'))

  const submit = async () => {
    const from = hereNow()
    const values = currentValues()
    for (const key of logic.hidden) values[key] = null
    const issues = validateRecord(published, values, logicOptions)
    if (issues.length > 0) {
      toast(show(issues))
      return
    }

    setFieldMessages({})
    setLineCells({})
    setGeneral([])
    setConflict(false)
    try {
      await save.mutateAsync(values)
    } catch (error) {
      if (isApiError(error) && error.code === 'conflict.closed_period') {
        // The close may have moved since this page read it: read it again, so a record now in a
        // closed period turns read-only.
        void queryClient.invalidateQueries({ queryKey: [locale, 'settings'] })
        const period = definition.periodField
        const [issue] = error.issues
        if (record && period && (issue?.field === undefined || issue.received === record.values[period])) {
          // The stored record itself is closed (not a date typed into the form): nothing here can
          // be saved, so the form shows what is stored again, and says why.
          form.resetFields()
          setLogic(liveLogic(published, initialValues, logicOptions))
          draft.clear()
          setGeneral([error.message])
          message.error(error.message)
          return
        }
      }
      if (isApiError(error) && error.code === 'conflict.version') setConflict(true)
      else if (isApiError(error) && error.issues.length > 0) {
        // The problems stand under their fields: the toast only points at them (or says those no field shows).
        toast(show(error.issues))
        return
      } else setGeneral([error instanceof Error ? error.message : String(error)])
      message.error(error instanceof Error ? error.message : t('common.loadFailed'))
      return
    }
    draft.clear()
    message.success(record ? t('form.saved') : t('form.created'))
    if (afterSave.current === 'list') return navigate(listRoute, { from })

    // Save and add another: the same page, empty again, the first field focused.
    form.resetFields()
    setLogic(liveLogic(published, initialValues, logicOptions))
    const first = fieldKeys.find((key) => !logic.hidden.has(key))
    if (first) form.focusField(first)
  }

  const restoreDraft = () => {
    if (!draft.offered) return
    form.setFieldsValue(draft.offered.values)
    draft.dismiss(true)
    refreshLogic()
  }

  const destroy = async (id: number) => {
    const from = hereNow()
    try {
      await remove.mutateAsync(id)
    } catch (error) {
      if (isApiError(error) && error.code === 'conflict.closed_period') void queryClient.invalidateQueries({ queryKey: [locale, 'settings'] })
      message.error(error instanceof Error ? error.message : String(error))
      return
    }
    message.success(t('form.deleted'))
    navigate(listRoute, { from })
  }

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      onFinish={submit}
      onValuesChange={(changed: FormValues) => {
        refreshLogic()
        draft.remember(form.getFieldsValue(true))
        for (const key of Object.keys(changed)) if (fieldMessages[key]) recheck(key)
        for (const key of Object.keys(changed)) if (lookupLinks.has(key)) void fillLookups(key, changed[key])
      }}
      onKeyDown={moveFocusOnEnter}
      className="record-form"
      data-form={definition.key}
    >
      {draft.offered && (
        <Alert
          type="info"
          showIcon
          className="form-alert"
          data-alert="draft"
          title={t('form.draftFound', { time: time(draft.offered.savedAt) })}
          action={
            <Space>
              <Button size="small" type="primary" onClick={restoreDraft} data-action="restore-draft">
                {t('form.draftRestore')}
              </Button>
              <Button size="small" onClick={() => draft.dismiss(false)} data-action="discard-draft">
                {t('form.draftDiscard')}
              </Button>
            </Space>
          }
        />
      )}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          className="form-alert"
          data-alert="conflict"
          title={t('form.conflict')}
          action={<Button onClick={onReload}>{t('form.reload')}</Button>}
        />
      )}
      {closed && (
        <Alert
          type="info"
          showIcon
          className="form-alert"
          data-alert="closed-period"
          title={t('form.closedPeriod', {
            field: localize(definition.fields.find((field) => field.key === closedPeriod!.field)?.label ?? closedPeriod!.field, locale),
            date: closedPeriod!.date,
            through: closedPeriod!.through,
          })}
        />
      )}
      {general.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="form-alert"
          data-alert="issues"
          title={t('form.recordIssues')}
          description={general.map((text) => (
            <div key={text}>{text}</div>
          ))}
        />
      )}

      {sections.map((section) => (
        <section key={section.key} className="form-section">
          {section.title && (
            <Typography.Title level={5} className="form-section-title">
              {section.title}
            </Typography.Title>
          )}
          <Row gutter={16}>
            {section.fields.filter((field) => !logic.hidden.has(field.key)).map((field) => {
              const messages = fieldMessages[field.key] ?? []
              const wide = (field.type === 'text' && field.multiline) || field.type === 'lines' ||
                field.type === 'attachment'
              return (
                <Col
                  key={field.key}
                  xs={24}
                  md={wide ? 24 : 24 / section.columns}
                  onBlur={() => recheck(field.key)}
                >
                  <Form.Item
                    name={field.key}
                    label={localize(field.label, locale)}
                    required={logic.required.has(field.key)}
                    extra={field.description ? localize(field.description, locale) : undefined}
                    validateStatus={messages.length > 0 ? 'error' : undefined}
                    help={
                      messages.length > 0
                        ? messages.map((text) => <div key={text}>{text}</div>)
                        : undefined
                    }
                    data-field={field.key}
                    {...fieldItemProps(field)}
                  >
                    <FieldControl
                      field={field}
                      app={app}
                      locale={locale}
                      linkTitle={record?.titles?.[field.key]}
                      invalid={messages.length > 0}
                      badCells={lineCells[field.key]}
                      disabled={closed || readonly?.includes(field.key)}
                      form={definition.key}
                      recordId={record?.id}
                      bounds={boundsOf(field.key)}
                    />
                  </Form.Item>
                </Col>
              )
            })}
          </Row>
        </section>
      ))}

      <Space className="form-actions" wrap>
        {!closed && (!actions || actions.includes(record ? 'update' : 'create')) && (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-action="save"
            onClick={() => (afterSave.current = 'list')}>
            {t('form.save')}
          </Button>
        )}
        {!record && (!actions || actions.includes('create')) && (
          <Button htmlType="submit" loading={save.isPending} data-action="save-and-new"
            onClick={() => (afterSave.current = 'next')}>
            {t('form.saveAndNew')}
          </Button>
        )}
        <Button onClick={() => navigate(listRoute)} data-action="cancel">
          {closed ? t('form.back') : t('form.cancel')}
        </Button>
        {record && !closed && (!actions || actions.includes('delete')) && (
          <Popconfirm title={t('form.deleteConfirm')} onConfirm={() => destroy(record.id)}>
            <Button danger loading={remove.isPending} data-action="delete">
              {t('form.delete')}
            </Button>
          </Popconfirm>
        )}
      </Space>
    </Form>
  )
}
