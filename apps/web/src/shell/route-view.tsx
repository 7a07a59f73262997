import { Empty } from 'antd'
import type { UseQueryResult } from '@tanstack/react-query'
import { lazy, Suspense, useEffect } from 'react'
import type { AppDetail, NamedItem } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import type { Route } from '../routing/route.js'
import { hereNow, navigate } from '../routing/use-route.js'
import { LoadProblem, NotFound, PageLoading } from './load-state.js'

// Pages load on first visit, so a form user never downloads the charts.
const DashboardPage = lazy(() => import('../dashboard/dashboard-page.js'))
const BuilderPage = lazy(() => import('../dashboard/builder-page.js'))
const ReportPage = lazy(() => import('../reports/report-page.js'))
const RecordListPage = lazy(() => import('../records/record-list-page.js'))
const RecordFormPage = lazy(() => import('../records/record-form-page.js'))
const AdminPage = lazy(() => import('../admin/admin-page.js'))
const FormDesignsPage = lazy(() => import('../form-builder/form-designs-page.js'))
const FormBuilderPage = lazy(() => import('../form-builder/form-builder-page.js'))

interface RouteViewProps {
  route: Route
  apps: UseQueryResult<NamedItem[]>
  app: UseQueryResult<AppDetail>
}

/**
 * Goes on from a route that only leads elsewhere (an app's home to its
 * first dashboard). The move waits for the effect, after the page is
 * painted: a reader who clicked a link in between (the menu, right after
 * signing in) stays where they went rather than being sent back.
 */
function Redirect({ to }: { to: Route }) {
  const from = hereNow()
  useEffect(() => navigate(to, { replace: true, from }), [to, from])
  return <PageLoading />
}

/** An app's home: its first dashboard, else its first form. */
export function appHome(app: AppDetail): Route | undefined {
  const dashboard = app.dashboards[0]
  if (dashboard) return { name: 'dashboard', app: app.key, key: dashboard.key }
  const form = app.forms[0]
  if (form) return { name: 'list', app: app.key, form: form.key }
  return undefined
}

export function RouteView({ route, apps, app }: RouteViewProps) {
  const { t } = useLocale()

  switch (route.name) {
    case 'home':
    case 'app': {
      const failed = route.name === 'home' && apps.isError ? apps : app.isError ? app : undefined
      if (failed) return <LoadProblem error={failed.error} onRetry={() => failed.refetch()} />
      if (apps.data && apps.data.length === 0) return <Empty description={t('common.noApps')} />
      if (!app.data) return <PageLoading />
      const home = appHome(app.data)
      return home ? <Redirect to={home} /> : <Empty description={t('common.noDashboards')} />
    }
    case 'dashboard':
      return (
        <Suspense fallback={<PageLoading />}>
          <DashboardPage
            key={`${route.app}/${route.key}`}
            app={route.app}
            dashboard={route.key}
            query={route.query ?? {}}
          />
        </Suspense>
      )
    case 'report':
      return (
        <Suspense fallback={<PageLoading />}>
          <ReportPage key={`${route.app}/${route.key}`} app={route.app} report={route.key} query={route.query ?? {}} />
        </Suspense>
      )
    case 'builder':
      return (
        <Suspense fallback={<PageLoading />}>
          <BuilderPage key={route.app} app={route.app} query={route.query ?? {}} />
        </Suspense>
      )
    case 'form-designs':
      return (
        <Suspense fallback={<PageLoading />}>
          <FormDesignsPage key={route.app} app={route.app} query={route.query ?? {}} />
        </Suspense>
      )
    case 'form-builder':
      return (
        <Suspense fallback={<PageLoading />}>
          <FormBuilderPage key={`${route.app}/${route.form}`} app={route.app} form={route.form} />
        </Suspense>
      )
    case 'list':
      return (
        <Suspense fallback={<PageLoading />}>
          <RecordListPage
            key={`${route.app}/${route.form}`}
            app={route.app}
            form={route.form}
            query={route.query ?? {}}
          />
        </Suspense>
      )
    case 'new':
    case 'record': {
      const id = route.name === 'record' ? route.id : undefined
      return (
        <Suspense fallback={<PageLoading />}>
          <RecordFormPage
            key={`${route.app}/${route.form}/${id ?? 'new'}`}
            app={route.app}
            form={route.form}
            id={id}
          />
        </Suspense>
      )
    }
    case 'admin':
      return (
        <Suspense fallback={<PageLoading />}>
          <AdminPage key={route.page} page={route.page} />
        </Suspense>
      )
    case 'not-found':
      return <NotFound />
  }
}
