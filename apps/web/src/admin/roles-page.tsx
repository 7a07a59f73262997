import { localize, type FormDefinition } from '@tessera/core'
import { Button, Empty, Select, Space, Tabs, Typography } from 'antd'
import { useState } from 'react'
import { useApp, useApps } from '../api/queries.js'
import '../audit/audit.css'
import { useLocale } from '../locale-context.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { RoleEditor } from './role-editor.js'
import { useAppRoles, useFormDefinitions } from './roles-api.js'

const NEW = '__new__'

/**
 * #/admin/roles: administrators view and edit the role documents of an
 * app — one tab per role, plus a tab for a new one. Test hooks:
 * `data-role-tab=<key>`, `data-action="new-role"`.
 */
export function RolesPage() {
  const { t, locale } = useLocale()
  const apps = useApps()
  const [chosen, setChosen] = useState<string>()
  const app = chosen ?? apps.data?.[0]?.key
  const detail = useApp(app)
  const roles = useAppRoles(app)
  const formKeys = detail.data?.forms.map((f) => f.key) ?? []
  const definitions = useFormDefinitions(app, formKeys)
  const [active, setActive] = useState<string>()

  const failed = [apps, detail, roles, ...definitions].find((q) => q.isError)
  if (failed) return <LoadProblem error={failed.error} onRetry={() => failed.refetch()} />
  if (!app || !detail.data || !roles.data || definitions.some((d) => !d.data)) return <PageLoading />

  const forms = definitions.map((d) => d.data!.definition as FormDefinition)
  const current = active ?? roles.data[0]?.key ?? NEW
  const editor = (key: string) => (
    <RoleEditor
      key={`${app}/${key}`}
      app={app}
      role={roles.data.find((r) => r.key === key)}
      forms={forms}
      reports={detail.data.reports}
      dashboards={detail.data.dashboards}
      onSaved={(saved) => setActive(saved)}
      onDeleted={() => setActive(undefined)}
    />
  )
  const tabs = roles.data.map((role) => ({
    key: role.key,
    label: <span data-role-tab={role.key}>{localize(role.label, locale)}</span>,
    children: editor(role.key),
  }))
  if (current === NEW) tabs.push({ key: NEW, label: <span data-role-tab={NEW}>{t('access.newRole')}</span>, children: editor(NEW) })

  return (
    <div className="roles-page">
      <Space align="center" wrap>
        <Typography.Title level={3} className="page-title">{t('access.rolesTitle')}</Typography.Title>
        <Select style={{ width: 220 }} value={app} onChange={(key) => { setChosen(key); setActive(undefined) }}
          options={(apps.data ?? []).map((a) => ({ value: a.key, label: localize(a.label, locale) }))} />
        <Button onClick={() => setActive(NEW)} data-action="new-role">{t('access.newRole')}</Button>
      </Space>
      {tabs.length === 0 ? <Empty description={t('access.noRoles')} /> : (
        <Tabs activeKey={current} onChange={setActive} items={tabs} />
      )}
    </div>
  )
}
