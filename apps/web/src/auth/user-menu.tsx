import { App, Button, Dropdown } from 'antd'
import type { MenuProps } from 'antd'
import { useState } from 'react'
import { useLocale } from '../locale-context.js'
import { routeHref } from '../routing/route.js'
import { useLogout } from './auth-api.js'
import { ChangePasswordDialog } from './change-password-dialog.js'
import { useCurrentUser } from './current-user.js'

/**
 * The header's user menu: who is signed in, the own password and API
 * tokens, the identity admin pages for administrators, and sign-out.
 * Test hooks: the button `data-action="user-menu"` (with
 * `data-signed-in="<username>"`), entries
 * `data-action="change-password" | "logout"` and `data-menu="admin:<page>"`.
 */
export function UserMenu() {
  const { t } = useLocale()
  const { message } = App.useApp()
  const user = useCurrentUser()
  const logout = useLogout()
  const [changing, setChanging] = useState(false)

  const link = (page: string, label: string) => ({
    key: page,
    label: <a href={routeHref({ name: 'admin', page })} data-menu={`admin:${page}`}>{label}</a>,
  })
  const items: MenuProps['items'] = [
    { key: 'who', label: `${user.displayName} (${user.username})`, disabled: true },
    { type: 'divider' },
    { key: 'password', label: <span data-action="change-password">{t('auth.changePassword')}</span> },
    link('tokens', t('auth.tokens')),
    ...(user.admin
      ? [
          { type: 'divider' as const },
          link('users', t('auth.users')),
          link('departments', t('auth.departments')),
          link('roles', t('access.roles')),
          link('audit', t('access.audit')),
          link('periods', t('auth.periods')),
        ]
      : []),
    { type: 'divider' },
    { key: 'logout', label: <span data-action="logout">{t('auth.logout')}</span> },
  ]

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') setChanging(true)
    if (key === 'logout') logout.mutate(undefined, { onSuccess: () => message.success(t('auth.signedOut')) })
  }

  return (
    <>
      <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
        <Button type="text" size="small" data-action="user-menu" data-signed-in={user.username}>
          {user.displayName} ▾
        </Button>
      </Dropdown>
      <ChangePasswordDialog open={changing} onClose={() => setChanging(false)} />
    </>
  )
}
