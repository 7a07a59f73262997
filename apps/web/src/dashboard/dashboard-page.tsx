import { DEFAULT_TIME_ZONE, localize, todayIn } from '@tessera/core'
import { useQueryClient } from '@tanstack/react-query'
import { Typography } from 'antd'
import { useMemo } from 'react'
import { useDashboard, useSettings } from '../api/queries.js'
import { useLocale } from '../locale-context.js'
import type { RouteQuery } from '../routing/route.js'
import { navigate } from '../routing/use-route.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { resolveDashboardParams } from './dashboard-params.js'
import { ParamBar } from './param-bar.js'
import { WidgetGrid } from './widget-grid.js'

interface DashboardPageProps {
  app: string
  dashboard: string
  query: RouteQuery
}

/** A dashboard: its parameter bar (values kept in the URL) and its widgets. */
export default function DashboardPage({ app, dashboard, query }: DashboardPageProps) {
  const { locale } = useLocale()
  const spec = useDashboard(app, dashboard)
  const settings = useSettings()
  const client = useQueryClient()

  // Without settings the browser's own calendar in the default zone is the best guess.
  const today = settings.data?.today ?? (settings.isError ? todayIn(DEFAULT_TIME_ZONE) : undefined)
  const params = useMemo(
    () => resolveDashboardParams(spec.data?.params, query, today),
    [spec.data?.params, query, today],
  )

  if (spec.isError) return <LoadProblem error={spec.error} onRetry={() => spec.refetch()} />
  if (!spec.data || !params) return <PageLoading />

  const setParam = (key: string, value: string) =>
    navigate(
      { name: 'dashboard', app, key: dashboard, query: { ...query, [key]: value } },
      { replace: true },
    )

  return (
    <div className="dashboard" data-dashboard={dashboard}>
      <div className="page-header">
        <Typography.Title level={3} className="page-title">
          {localize(spec.data.label, locale)}
        </Typography.Title>
        <ParamBar
          params={spec.data.params ?? []}
          values={params}
          onChange={setParam}
          onRefresh={() => client.invalidateQueries({ queryKey: [locale, 'report-run', app] })}
        />
      </div>
      <WidgetGrid app={app} widgets={spec.data.widgets} params={params} />
    </div>
  )
}
