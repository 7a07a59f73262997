import { localize } from '@tessera/core'
import { Menu } from 'antd'
import type { MenuProps } from 'antd'
import { useState } from 'react'
import type { AppDetail } from '../api/types.js'
import { NewDashboardDialog } from '../dashboard/new-dashboard.js'
import { useLocale } from '../locale-context.js'
import { routeHref, type Route } from '../routing/route.js'

interface AppMenuProps {
  app: AppDetail
  route: Route
  onNavigate?(): void
}

/** The menu entry a route belongs to: a record page lights up its form. */
export function menuKeyOf(route: Route): string | undefined {
  switch (route.name) {
    case 'dashboard':
      return routeHref({ name: 'dashboard', app: route.app, key: route.key })
    case 'report':
      return routeHref({ name: 'report', app: route.app, key: route.key })
    case 'list':
    case 'new':
    case 'record':
      return routeHref({ name: 'list', app: route.app, form: route.form })
    case 'form-designs':
    case 'form-builder':
      return routeHref({ name: 'form-designs', app: route.app })
    default:
      return undefined
  }
}

/**
 * The app's dashboards, its reports, then its forms, each entry a plain
 * link; for administrators, the app's design: new form, form designs, new
 * dashboard (a dialog).
 */
export function AppMenu({ app, route, onNavigate }: AppMenuProps) {
  const { locale, t } = useLocale()
  const [creating, setCreating] = useState(false)

  const link = (target: Route, label: string, hook: string) => {
    const href = routeHref(target)
    return { key: href, label: <a href={href} data-menu={hook}>{label}</a> }
  }
  const items: MenuProps['items'] = [
    {
      type: 'group',
      key: 'dashboards',
      label: t('menu.dashboards'),
      children: app.dashboards.map((item) =>
        link(
          { name: 'dashboard', app: app.key, key: item.key },
          localize(item.label, locale),
          `dashboard:${item.key}`,
        ),
      ),
    },
    {
      type: 'group',
      key: 'reports',
      label: t('menu.reports'),
      children: app.reports.map((item) =>
        link({ name: 'report', app: app.key, key: item.key }, localize(item.label, locale), `report:${item.key}`),
      ),
    },
    {
      type: 'group',
      key: 'forms',
      label: t('menu.forms'),
      children: app.forms.map((item) =>
        link(
          { name: 'list', app: app.key, form: item.key },
          localize(item.label, locale),
          `form:${item.key}`,
        ),
      ),
    },
  ]
  // Administrators design the app's forms.
  if (app.admin) {
    items.push({
      type: 'group',
      key: 'design',
      label: t('menu.design'),
      children: [
        link({ name: 'form-designs', app: app.key, query: { new: '1' } }, t('fb.menuNew'), 'new-form'),
        link({ name: 'form-designs', app: app.key }, t('fb.menu'), 'form-designs'),
        {
          key: 'new-dashboard',
          label: (
            <a role="button" data-menu="new-dashboard" onClick={(event) => {
              event.preventDefault()
              setCreating(true)
            }}>{t('dashboard.new')}</a>
          ),
        },
      ],
    })
  }

  const selected = menuKeyOf(route)
  return (
    <>
      <Menu
        mode="inline"
        items={items.filter((group) => group && 'children' in group && group.children?.length)}
        selectedKeys={selected ? [selected] : []}
        onClick={() => onNavigate?.()}
      />
      {app.admin && <NewDashboardDialog app={app.key} open={creating} onClose={() => setCreating(false)} />}
    </>
  )
}
