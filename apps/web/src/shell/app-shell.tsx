import { localize } from '@tessera/core'
import { Button, Drawer, Grid, Layout, Select, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useApp, useApps } from '../api/queries.js'
import { UserMenu } from '../auth/user-menu.js'
import { useLocale } from '../locale-context.js'
import { routeHref } from '../routing/route.js'
import { navigate, useRoute } from '../routing/use-route.js'
import { AppMenu } from './app-menu.js'
import { LanguageSwitch } from './language-switch.js'
import { RouteView } from './route-view.js'

/** The app a route is in; home means the first app. */
function appKeyOf(route: ReturnType<typeof useRoute>, firstApp: string | undefined) {
  return 'app' in route ? route.app : firstApp
}

/**
 * The frame around every page: a side menu of the current app's dashboards
 * and forms (a drawer on a phone), the app switch and the language switch.
 */
export function AppShell() {
  const { locale, t } = useLocale()
  const route = useRoute()
  const apps = useApps()
  const appKey = appKeyOf(route, apps.data?.[0]?.key)
  const app = useApp(appKey)
  const phone = !Grid.useBreakpoint().md
  const [drawerOpen, setDrawerOpen] = useState(false)
  // Another page opens at its top; a change of the same page's parameters (a filter, the list's
  // page, an as-of date) keeps the reader's place.
  const page = routeHref({ ...route, query: undefined })
  useEffect(() => {
    window.scrollTo(0, 0)
  }, [page])

  const menu = app.data && (
    <AppMenu app={app.data} route={route} onNavigate={() => setDrawerOpen(false)} />
  )
  const appLabel = app.data ? localize(app.data.label, locale) : t('app.title')

  return (
    <Layout className="shell">
      <Layout.Header className="shell-header">
        {phone && (
          <Button
            type="text"
            aria-label={t('menu.open')}
            className="menu-button"
            onClick={() => setDrawerOpen(true)}
          >
            ☰
          </Button>
        )}
        <Typography.Text strong className="shell-title" ellipsis>
          {appLabel}
        </Typography.Text>
        <div className="shell-tools">
          {(apps.data?.length ?? 0) > 1 && (
            <Select
              size="small"
              aria-label={t('menu.app')}
              value={appKey}
              options={apps.data?.map((item) => ({
                value: item.key,
                label: localize(item.label, locale),
              }))}
              onChange={(key: string) => navigate({ name: 'app', app: key })}
              popupMatchSelectWidth={false}
            />
          )}
          <LanguageSwitch />
          <UserMenu />
        </div>
      </Layout.Header>
      <Layout hasSider={!phone}>
        {!phone && (
          <Layout.Sider width={220} theme="light" className="shell-sider">
            {menu}
          </Layout.Sider>
        )}
        {phone && (
          <Drawer
            placement="left"
            size={260}
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={appLabel}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        )}
        <Layout.Content className="shell-content">
          <RouteView route={route} apps={apps} app={app} />
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
