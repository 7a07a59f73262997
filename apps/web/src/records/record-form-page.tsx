import { localize } from '@tessera/core'
import { Result, Space, Typography } from 'antd'
import { toPublishedForm } from '../api/published-form.js'
import { useFormDefinition, useRecord, useSettings } from '../api/queries.js'
import { formatFieldValue } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'
import { routeHref } from '../routing/route.js'
import { RecordHistory } from '../audit/record-history.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { RecordEditor } from './record-editor.js'
import { closedPeriodOf } from './closed-period.js'

interface RecordFormPageProps {
  app: string
  form: string
  /** Absent for a new record. */
  id?: number
}

/** Create (#/apps/:app/forms/:form/new) or edit (#/apps/:app/forms/:form/:id) one record. */
export default function RecordFormPage({ app, form, id }: RecordFormPageProps) {
  const { locale, t } = useLocale()
  const definition = useFormDefinition(app, form)
  const record = useRecord(app, form, id)
  const settings = useSettings({ fresh: true })

  const failed = definition.isError ? definition : record.isError ? record : undefined
  if (failed) return <LoadProblem error={failed.error} onRetry={() => failed.refetch()} />
  // A new record waits for the settings too: a date defaulting to today is the company's today.
  if (!definition.data || (id !== undefined && !record.data) || (id === undefined && !settings.data && !settings.isError)) {
    return <PageLoading />
  }

  const def = definition.data.definition
  const formLabel = localize(def.label, locale)
  const titleField = def.fields.find((field) => field.key === def.titleField)
  const recordTitle =
    titleField && record.data
      ? formatFieldValue(titleField, record.data.values[titleField.key], locale)
      : ''
  // A record of a closed period is shown, not edited (see RecordEditor).
  const closed = closedPeriodOf(def, record.data?.values, settings.data?.closedThrough) !== undefined
  const heading =
    id === undefined
      ? t('form.newTitle', { form: formLabel })
      : (closed ? formLabel : t('form.editTitle', { form: formLabel })) + (recordTitle ? ` · ${recordTitle}` : '')

  return (
    <div className="record-page">
      <div className="page-header">
        <div>
          <a href={routeHref({ name: 'list', app, form })} className="back-link">
            ← {formLabel}
          </a>
          <Typography.Title level={3} className="page-title">
            {heading}
          </Typography.Title>
          {def.description && (
            <Typography.Paragraph type="secondary" className="form-description" data-form-description="">
              {localize(def.description, locale)}
            </Typography.Paragraph>
          )}
        </div>
      </div>
      {id === undefined && definition.data.access && !definition.data.access.actions.includes('create') ? (
        // Reached by a typed address: say so rather than offer a form that cannot be saved.
        <Result status="warning" title={t('form.cannotCreate', { form: formLabel })} data-cannot-create=""
          extra={<a href={routeHref({ name: 'list', app, form })}>← {formLabel}</a>} />
      ) : (
        <RecordEditor
          key={record.data ? `${record.data.id}@${record.data.version}` : 'new'}
          app={app}
          form={toPublishedForm(definition.data)}
          record={record.data}
          onReload={() => record.refetch()}
          actions={definition.data.access?.actions}
          readonly={definition.data.access?.readonly}
          keepDrafts
        />
      )}
      {record.data && (definition.data.linkedFrom ?? []).length > 0 && (
        // The records of other forms pointing at this one, each a list filtered to it.
        <div className="related-records" data-related="">
          <Typography.Text type="secondary">{t('form.related')}：</Typography.Text>
          <Space wrap size={[16, 4]}>
            {(definition.data.linkedFrom ?? []).map((link) => (
              <a key={`${link.form}.${link.field}`} data-related-link={`${link.form}.${link.field}`}
                href={routeHref({ name: 'list', app, form: link.form, query: {
                  filter: JSON.stringify({ and: [{ '==': [{ var: link.field }, record.data!.id] }] }),
                } })}>
                {t('form.relatedLink', { form: localize(link.formLabel, locale), field: localize(link.fieldLabel, locale) })}
              </a>
            ))}
          </Space>
        </div>
      )}
      {record.data && (
        <RecordHistory app={app} form={form} id={record.data.id} version={record.data.version} fields={def.fields} />
      )}
    </div>
  )
}
