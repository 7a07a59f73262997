import { DEFAULT_TIME_ZONE, localize, todayIn } from '@tessera/core'
import { useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Empty, Space, Typography } from 'antd'
import { useMemo, useRef, useState } from 'react'
import { apiPath, apiRequest } from '../api/api-client.js'
import type { DashboardSpec, WidgetLayout } from '../api/types.js'
import { useApp, useDashboard, useSettings } from '../api/queries.js'
import { useLocale } from '../locale-context.js'
import type { RouteQuery } from '../routing/route.js'
import { useScrollBack } from '../routing/scroll-memory.js'
import { navigate } from '../routing/use-route.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import './dashboard.css'
import {
  paramProblems,
  readDrills,
  readFilters,
  resolveDashboardParams,
  withoutDrills,
  writeDrills,
  writeFilters,
} from './dashboard-params.js'
import { type DashboardQuery, knownFilterLabels, saveDashboardSpec } from './dashboard-queries.js'
import { downloadBlob, fileName } from './download.js'
import { dashboardImage } from './export-image.js'
import { FilterBar } from './filter-bar.js'
import { FilterEditor } from './filter-editor.js'
import { withoutWidget } from './layout-edit.js'
import { ParamBar } from './param-bar.js'
import { WidgetGrid } from './widget-grid.js'

interface DashboardPageProps {
  app: string
  dashboard: string
  query: RouteQuery
}

/**
 * A dashboard: its parameters and global filters (kept in the URL), its
 * widgets, reloading every `refresh` seconds; administrators edit the
 * layout (drag by the title, resize by the corner) and build new widgets.
 */
export default function DashboardPage({ app, dashboard, query }: DashboardPageProps) {
  const { locale, t } = useLocale()
  const { message, modal } = App.useApp()
  const spec = useDashboard(app, dashboard)
  const settings = useSettings()
  const detail = useApp(app)
  const client = useQueryClient()
  const grid = useRef<HTMLDivElement>(null)
  const [draft, setDraft] = useState<DashboardSpec | null>(null)
  const [editingFilters, setEditingFilters] = useState(false)

  // Without settings the browser's own calendar in the default zone is the best guess.
  const today = settings.data?.today ?? (settings.isError ? todayIn(DEFAULT_TIME_ZONE) : undefined)
  const params = useMemo(
    () => resolveDashboardParams(spec.data?.params, query, today),
    [spec.data?.params, query, today],
  )
  // Only the dashboard's own filters run; others (a link edited by hand) are named and left out.
  const asked = useMemo(() => readFilters(query), [query])
  const declared = spec.data?.filters
  const filters = useMemo(() => Object.fromEntries(Object.entries(asked).filter(([key]) =>
    declared === undefined || declared.some((filter) => filter.key === key))), [asked, declared])
  const unknownFilters = Object.keys(asked).filter((key) => !Object.hasOwn(filters, key))
  // Drilled widgets are kept in the URL, so that back from a drilled list finds them where they were.
  const drills = useMemo(() => readDrills(query), [query])
  const runQuery = useMemo<DashboardQuery | undefined>(
    () => (params ? { params, filters } : undefined),
    [params, filters],
  )

  // Back from a drilled list: at the widget clicked, once the grid is laid out.
  useScrollBack(spec.data !== undefined && runQuery !== undefined)

  if (spec.isError) return <LoadProblem error={spec.error} onRetry={() => spec.refetch()} />
  if (!spec.data || !runQuery) return <PageLoading />

  const shown = draft ?? spec.data
  // A param the URL gives a value no report takes: said once, and no widget runs.
  const problems = paramProblems(spec.data.params, runQuery.params)
  const admin = detail.data?.admin === true
  const go = (next: RouteQuery) => navigate({ name: 'dashboard', app, key: dashboard, query: next }, { replace: true })
  const moveWidget = (key: string, layout: WidgetLayout) => setDraft((current) => {
    const base = current ?? spec.data
    return { ...base, widgets: base.widgets.map((one) => (one.key === key ? { ...one, layout } : one)) }
  })
  const removeWidget = (key: string) => setDraft((current) => withoutWidget(current ?? spec.data, key))
  const saveLayout = async () => {
    if (!draft) return
    try {
      await saveDashboardSpec(app, draft, locale)
      await client.invalidateQueries({ queryKey: [locale, 'dashboard', app, dashboard] })
      setDraft(null)
      message.success(t('dashboard.layoutSaved'))
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error))
    }
  }
  const confirmDelete = () => {
    const name = localize(spec.data.label, locale) || dashboard
    modal.confirm({
      title: t('dashboard.deleteConfirm', { name }),
      okText: t('dashboard.delete'),
      okButtonProps: { danger: true, ...{ 'data-action': 'confirm-delete-dashboard' } },
      cancelText: t('dashboard.editCancel'),
      onOk: async () => {
        try {
          await apiRequest({ method: 'DELETE', path: apiPath('apps', app, 'dashboards', dashboard), locale })
        } catch (error) {
          // Refused (a role still grants it): said as the server words it, and the dashboard stays.
          message.error(error instanceof Error ? error.message : String(error))
          return
        }
        await client.invalidateQueries({ queryKey: [locale, 'app', app] })
        client.removeQueries({ queryKey: [locale, 'dashboard', app, dashboard] })
        message.success(t('dashboard.deleted'))
        navigate({ name: 'app', app }, { replace: true })
      },
    })
  }
  const exportImage = async () => {
    if (!grid.current) return
    const title = localize(spec.data.label, locale)
    // What the figures are of travels with the picture: its params and the filters set.
    const conditions = [
      ...(spec.data.params ?? []).flatMap((param) => {
        const value = runQuery.params[param.key]
        return value ? [`${localize(param.label, locale) || param.key} ${value.replace('..', ' – ')}`] : []
      }),
      ...(spec.data.filters ?? []).flatMap((filter) => {
        const values = filters[filter.key] ?? []
        // Choices by their labels (电子, not electronic), a date range as the pickers show it.
        const labels = knownFilterLabels(client, locale, app, dashboard, filter.key)
        const shown = values.map((value) => (labels.get(value) ?? value).replace('..', ' – '))
        return values.length > 0 ? [`${localize(filter.label, locale) || filter.key} ${shown.join(t('widget.listSeparator'))}`] : []
      }),
    ]
    downloadBlob(await dashboardImage(grid.current, title, conditions.join(' · ')), fileName(title, 'png'))
  }

  return (
    <div className="dashboard" data-dashboard={dashboard}>
      <div className="page-header">
        <Typography.Title level={3} className="page-title">
          {localize(spec.data.label, locale)}
        </Typography.Title>
        <ParamBar
          params={spec.data.params ?? []}
          values={params ?? {}}
          onChange={(key, value) => go(withoutDrills({ ...query, [key]: value }))}
          onRefresh={() => client.invalidateQueries({ queryKey: [locale, 'widget-run', app, dashboard] })}
        />
      </div>
      <div className="page-header">
        <FilterBar
          app={app}
          dashboard={dashboard}
          filters={spec.data.filters ?? []}
          values={filters}
          onChange={(key, values) => go(withoutDrills(writeFilters(query, { ...filters, [key]: values })))}
        />
        <Space wrap>
          {spec.data.refresh && (
            <Typography.Text type="secondary" data-refresh={spec.data.refresh}>
              {t('dashboard.autoRefresh', { seconds: spec.data.refresh })}
            </Typography.Text>
          )}
          <Button onClick={exportImage} data-action="export-image">{t('dashboard.exportImage')}</Button>
          {admin && !draft && (
            <Button onClick={() => setDraft(spec.data)} data-action="edit-layout">{t('dashboard.edit')}</Button>
          )}
          {draft && (
            <>
              <Button type="primary" onClick={saveLayout} data-action="save-layout">{t('dashboard.editDone')}</Button>
              <Button onClick={() => setDraft(null)}>{t('dashboard.editCancel')}</Button>
            </>
          )}
          {admin && (
            <Button data-action="build-widget"
              onClick={() => navigate({ name: 'builder', app, query: { dashboard } })}>
              {t('dashboard.build')}
            </Button>
          )}
          {admin && !draft && (
            <Button data-action="edit-filters" onClick={() => setEditingFilters(true)}>{t('dashboard.filters.edit')}</Button>
          )}
          {admin && !draft && (
            <Button danger data-action="delete-dashboard" onClick={confirmDelete}>{t('dashboard.delete')}</Button>
          )}
        </Space>
      </div>
      {unknownFilters.length > 0 && (
        <Alert type="warning" showIcon data-unknown-filters={unknownFilters.join(',')}
          message={t('dashboard.unknownFilters', { keys: unknownFilters.join(t('widget.listSeparator')) })} />
      )}
      {problems.length > 0 && (
        <Alert type="error" showIcon data-param-problems={problems.map((one) => one.param.key).join(',')}
          message={problems.map((one) => t(`dashboard.badParam.${one.expected}`, {
            label: localize(one.param.label, locale) || one.param.key, value: one.value,
          })).join('；')} />
      )}
      {admin && <FilterEditor app={app} spec={spec.data} open={editingFilters} onClose={() => setEditingFilters(false)} />}
      {problems.length === 0 && shown.widgets.length === 0 && (
        <Empty description={t('dashboard.empty')} data-dashboard-empty="">
          {admin && (
            <Button type="primary" onClick={() => navigate({ name: 'builder', app, query: { dashboard } })}>
              {t('dashboard.build')}
            </Button>
          )}
        </Empty>
      )}
      {problems.length === 0 && <div ref={grid}>
        <WidgetGrid
          app={app}
          dashboard={dashboard}
          widgets={shown.widgets}
          query={runQuery}
          refreshSeconds={spec.data.refresh}
          conditions={{ params: spec.data.params ?? [], filters: spec.data.filters ?? [] }}
          drills={drills}
          onDrill={(key, state) => go(writeDrills(query, { ...drills, [key]: state }))}
          editing={draft !== null}
          onLayoutChange={moveWidget}
          onRemove={removeWidget}
        />
      </div>}
    </div>
  )
}
