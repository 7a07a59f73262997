import { localize } from '@tessera/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Empty, Input, Select, Space, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useApp, useDashboard, useFormDefinition } from '../api/queries.js'
import { isApiError } from '../api/api-error.js'
import type { DashboardSpec, DashboardWidget, ReportResult } from '../api/types.js'
import { CHART_TYPES } from '../charts/chart-types.js'
import { translate } from '../i18n.js'
import { useLocale } from '../locale-context.js'
import type { RouteQuery } from '../routing/route.js'
import { hereNow, navigate } from '../routing/use-route.js'
import { PageLoading } from '../shell/load-state.js'
import './dashboard.css'
import { BuilderConditions, BuilderDatingRow } from './builder-conditions.js'
import { fieldPaths, useLinkedForms } from './builder-fields.js'
import {
  type BuilderField,
  type BuilderState,
  builderReport,
  builderWidget,
  builderProblem,
  datingParams,
  filtersWithReport,
  measureFor,
  showsOneMeasure,
  suggestedTitle,
  widgetTitles,
  distinctChoices,
  drawnDimensions,
} from './builder-spec.js'
import { BuilderZones } from './builder-zones.js'
import { saveDashboardWithReports } from './dashboard-queries.js'
import { nextFreeRow } from './layout-edit.js'
import { WidgetBody } from './widget-body.js'
import { WidgetProblem } from './widget-problem.js'

// Not the gauge: it shows a rate from 0 to 100 %, and the builder makes no rates.
const TYPES = ['kpi', 'table', ...CHART_TYPES.filter((type) => type !== 'gauge')] as const
const EMPTY: BuilderState = { form: '', title: '', type: 'bar', dimensions: [], measures: [], conditions: [] }

/**
 * The widget builder: choose a form, drag its fields into dimensions and
 * measures, add conditions, pick a chart type, watch the live preview, and
 * save: the report is stored (PUT …/reports/:key), then the dashboard with
 * the new widget below the others (PUT …/dashboards/:key).
 */
export default function BuilderPage({ app, query }: { app: string; query: RouteQuery }) {
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const client = useQueryClient()
  const detail = useApp(app)
  const [state, setState] = useState<BuilderState>(EMPTY)
  const [dashboardKey, setDashboardKey] = useState(query.dashboard ?? '')
  const [saving, setSaving] = useState(false)
  const [titleEn, setTitleEn] = useState('')

  const forms = detail.data?.forms ?? []
  const dashboards = detail.data?.dashboards ?? []
  // The URL may name the form to start from: #/apps/crm/builder?dashboard=sales&form=invoice
  const source = state.form || query.form || forms[0]?.key || ''
  const form = useFormDefinition(app, source)
  const linked = useLinkedForms(app, form.data)
  const fields = useMemo(() => fieldPaths(form.data, linked, locale), [form.data, linked, locale])
  const dashboard = useDashboard(app, dashboardKey || dashboards[0]?.key || '')
  const dating = datingParams(dashboard.data?.params)
  // Held against a param the dashboard chosen now has, of the same type; else the widget follows none.
  const dated = state.dated && dating.find((param) => param.key === state.dated?.param.key && param.type === state.dated.param.type)
    ? state.dated : undefined
  // Named in both languages, each as typed or else by what it shows, and following the reader's.
  const suggestedIn = (language: 'zh-CN' | 'en') =>
    suggestedTitle({ ...state, form: source }, language, translate(language, 'builder.count'))
  const titles = widgetTitles({ zh: state.title, en: titleEn }, { zh: suggestedIn('zh-CN'), en: suggestedIn('en') })
  const chosen = { ...state, dated, form: source, title: localize(titles, locale) }

  const draftKey = 'preview'
  const spec = useMemo(() => builderReport(chosen, draftKey), [JSON.stringify(chosen)])
  const ready = chosen.measures.length > 0 || chosen.dimensions.length > 0
  // Said in the builder's words, rather than run and refused by the report engine.
  const problem = builderProblem(chosen)
  const preview = useQuery({
    queryKey: [locale, 'builder-preview', app, spec],
    queryFn: ({ signal }) => apiRequest<ReportResult>({
      method: 'POST', path: apiPath('apps', app, 'reports', 'preview'), body: { spec }, locale, signal,
    }),
    enabled: ready && source !== '' && problem === undefined,
    placeholderData: (previous) => previous,
  })

  if (!detail.data) return <PageLoading />
  const update = (changes: Partial<BuilderState>) =>
    setState((current) => distinctChoices({ ...current, form: source, ...changes }))
  const previewWidget: DashboardWidget = builderWidget(chosen, 'preview', draftKey, 0)

  const save = async () => {
    const target = dashboard.data
    if (!target || problem) {
      message.error(t(`builder.problem.${problem ?? 'measure'}`))
      return
    }
    setSaving(true)
    const from = hereNow()
    try {
      const stamp = Date.now().toString(36)
      const reportKey = `built_${stamp}`
      // The widget's report and the dashboard are saved together: if either is refused, neither is.
      const add = (board: DashboardSpec) => {
        const widget = builderWidget(chosen, `w_${stamp}`, reportKey,
          nextFreeRow(board.widgets.map((one) => one.layout)), titles)
        const filters = filtersWithReport(board.filters, reportKey, fields)
        return saveDashboardWithReports(app, { ...board, widgets: [...board.widgets, widget], ...(filters ? { filters } : {}) },
          [builderReport(chosen, reportKey, titles)], locale)
      }
      try {
        await add(target)
      } catch (error) {
        // Someone saved the dashboard since it was read: add the widget to theirs instead of undoing it.
        if (!isApiError(error) || error.code !== 'conflict.version') throw error
        await add(await apiRequest<DashboardSpec>({ path: apiPath('apps', app, 'dashboards', target.key), locale }))
      }
      await client.invalidateQueries({ queryKey: [locale, 'dashboard', app, target.key] })
      message.success(t('builder.saved'))
      navigate({ name: 'dashboard', app, key: target.key }, { from })
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error))
    } finally {
      setSaving(false)
    }
  }

  return (
    <div className="builder-page" data-builder={app}>
      <Typography.Title level={3} className="page-title">{t('builder.title')}</Typography.Title>
      <div className="builder">
        <Card size="small" title={t('builder.fields')}>
          <Select
            aria-label={t('builder.form')}
            data-builder-form=""
            value={source}
            style={{ width: '100%', marginBottom: 8 }}
            options={forms.map((one) => ({ value: one.key, label: localize(one.label, locale) }))}
            onChange={(next: string) => setState({ ...EMPTY, type: state.type, title: state.title, form: next })}
          />
          {fields.map((field) => (
            <FieldItem key={field.path} field={field}
              onDimension={() => update({ dimensions: [...chosen.dimensions, { field, ...(field.kind === 'date' ? { grain: 'month' as const } : {}) }] })}
              onMeasure={() => update({ measures: [...chosen.measures, measureFor(field)] })} />
          ))}
        </Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <BuilderZones state={chosen} fields={fields} onChange={update} />
          <BuilderConditions state={chosen} fields={fields} onChange={update} />
          <BuilderDatingRow state={chosen} fields={fields} params={dating} onChange={update} />
          <Space wrap>
            <Select aria-label={t('builder.chartType')} data-builder-type="" value={chosen.type} style={{ width: 160 }}
              options={TYPES.map((type) => ({ value: type, label: t(`builder.type.${type}`) }))}
              onChange={(type: string) => update({ type })} />
            {chosen.type === 'kpi' && chosen.dimensions.length > 0 && (
              <Typography.Text type="warning" data-builder-note="kpi-total">{t('builder.kpiTotal')}</Typography.Text>
            )}
            {chosen.type !== 'kpi' && chosen.dimensions.length > drawnDimensions(chosen.type) && (
              <Typography.Text type="warning" data-builder-note="dimensions">
                {t('builder.drawnDimensions', { count: drawnDimensions(chosen.type) })}
              </Typography.Text>
            )}
            {showsOneMeasure(chosen.type) && chosen.measures.length > 1 && (
              <Typography.Text type="warning" data-builder-note="one-measure">
                {t('builder.oneMeasure', { measure: chosen.measures[0].label || t('builder.count') })}
              </Typography.Text>
            )}
            <Input aria-label={t('builder.widgetTitle')} placeholder={suggestedIn('zh-CN')} value={state.title}
              data-builder-title="" onChange={(event) => update({ title: event.target.value })} style={{ width: 200 }} />
            <Input aria-label={t('builder.widgetTitleEn')} placeholder={suggestedIn('en')} value={titleEn}
              data-builder-title-en="" onChange={(event) => setTitleEn(event.target.value)} style={{ width: 200 }} />
            <Select aria-label={t('builder.dashboard')} value={dashboardKey || dashboards[0]?.key} style={{ width: 200 }}
              options={dashboards.map((one) => ({ value: one.key, label: localize(one.label, locale) }))}
              onChange={(next: string) => setDashboardKey(next)} />
            <Button type="primary" loading={saving} onClick={save} data-action="save-widget">
              {t('builder.save')}
            </Button>
          </Space>
          <Card size="small" title={t('builder.preview')} className="builder-preview-card">
            <div className="builder-preview" data-preview={preview.isSuccess ? 'ready' : 'waiting'}>
              {!ready ? <Empty description={t('builder.dropHere')} />
                : problem ? <Empty description={t(`builder.problem.${problem}`)} data-builder-problem={problem} />
                : preview.isError ? <WidgetProblem text={preview.error.message} />
                : preview.data ? <WidgetBody widget={previewWidget} result={preview.data} title={chosen.title} />
                : <PageLoading />}
            </div>
          </Card>
        </Space>
      </div>
    </div>
  )
}

function FieldItem({ field, onDimension, onMeasure }: {
  field: BuilderField
  onDimension(): void
  onMeasure(): void
}) {
  const { t } = useLocale()
  return (
    <div className="builder-field" draggable data-builder-field={field.path}
      onDragStart={(event) => event.dataTransfer.setData('text/plain', field.path)}>
      <span className="builder-field-label">{field.label}</span>
      <Space size={2} className="builder-field-actions">
        <Button size="small" type="text" aria-label={t('builder.addDimension')} title={t('builder.addDimension')}
          onClick={onDimension}>{t('builder.dimensionShort')}</Button>
        <Button size="small" type="text" aria-label={t('builder.addMeasure')} title={t('builder.addMeasure')}
          onClick={onMeasure}>{t('builder.measureShort')}</Button>
      </Space>
    </div>
  )
}
