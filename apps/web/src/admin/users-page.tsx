import { App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { useState } from 'react'
import { useLocale } from '../locale-context.js'
import { useCompanyTime } from '../format/zoned-time.js'
import { LoadProblem } from '../shell/load-state.js'
import { useRoleOptions, useUpdateUser, useUsers, type UserRecord } from './admin-api.js'
import { ResetPasswordDialog } from './reset-password-dialog.js'
import { roleLabel } from './role-label.js'
import { UserDialog } from './user-dialog.js'

/**
 * #/admin/users: every account with department, roles and status. Rows
 * carry `data-user="<username>"`; buttons `data-action="new-user" |
 * "edit-user" | "reset-password" | "disable" | "enable"`.
 */
export function UsersPage() {
  const { locale, t } = useLocale()
  const companyClock = useCompanyTime()
  const { message } = App.useApp()
  const users = useUsers()
  const roleOptions = useRoleOptions()
  const update = useUpdateUser()
  const [editing, setEditing] = useState<{ user?: UserRecord } | undefined>()
  const [resetting, setResetting] = useState<UserRecord | undefined>()

  if (users.isError) return <LoadProblem error={users.error} onRetry={() => users.refetch()} />

  const toggle = (user: UserRecord) =>
    update.mutate({ id: user.id, changes: { disabled: !user.disabled } }, {
      onSuccess: () => message.success(t('admin.saved')),
      onError: (error) => message.error(error.message),
    })

  const columns: TableColumnsType<UserRecord> = [
    // The id is what a text field holding an account (the template's 负责人账号 ID) takes.
    { title: t('admin.userId'), dataIndex: 'id', width: 80 },
    { title: t('auth.username'), dataIndex: 'username' },
    { title: t('auth.displayName'), dataIndex: 'displayName' },
    { title: t('admin.department'), render: (_, user) => user.department?.name ?? '' },
    {
      title: t('admin.roles'),
      render: (_, user) => (
        <Space size={[4, 4]} wrap>
          {user.admin && <Tag color="gold">{t('auth.admin')}</Tag>}
          {user.roles.map((role) => <Tag key={role}>{roleLabel(role, roleOptions.data ?? [], locale)}</Tag>)}
        </Space>
      ),
    },
    {
      title: t('admin.status'),
      render: (_, user) => {
        if (user.disabled) return <Tag color="default">{t('admin.disabled')}</Tag>
        const locked = user.lockedUntil && new Date(user.lockedUntil) > new Date()
        if (locked) {
          const time = companyClock(user.lockedUntil!)
          return <Tag color="red">{t('admin.lockedUntil', { time })}</Tag>
        }
        return <Tag color="green">{t('admin.active')}</Tag>
      },
    },
    {
      title: t('admin.actions'),
      render: (_, user) => (
        <Space size="small" wrap>
          <Button size="small" onClick={() => setEditing({ user })} data-action="edit-user">{t('admin.edit')}</Button>
          <Button size="small" onClick={() => setResetting(user)} data-action="reset-password">{t('admin.resetPassword')}</Button>
          <Popconfirm title={user.disabled ? t('admin.enable') : t('admin.disable')} onConfirm={() => toggle(user)}>
            <Button size="small" danger={!user.disabled} data-action={user.disabled ? 'enable' : 'disable'}>
              {user.disabled ? t('admin.enable') : t('admin.disable')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ]

  return (
    <div data-page="admin-users">
      <div className="page-header">
        <Typography.Title level={3} className="page-title">{t('admin.usersTitle')}</Typography.Title>
        <Button type="primary" onClick={() => setEditing({})} data-action="new-user">{t('admin.newUser')}</Button>
      </div>
      <Table<UserRecord>
        rowKey="id"
        size="middle"
        loading={users.isPending}
        columns={columns}
        dataSource={users.data}
        pagination={false}
        scroll={{ x: true }}
        onRow={(user) => ({ 'data-user': user.username }) as object}
      />
      <UserDialog
        open={editing !== undefined}
        user={editing?.user}
        onClose={(saved) => {
          setEditing(undefined)
          if (saved) message.success(t('admin.saved'))
        }}
      />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(undefined)} />
    </div>
  )
}
