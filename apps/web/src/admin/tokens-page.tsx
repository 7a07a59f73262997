import type { AccessScope } from '@tessera/core'
import { Alert, Button, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { useState } from 'react'
import type { MessageKey } from '../i18n.js'
import { useLocale } from '../locale-context.js'
import { useCompanyTime } from '../format/zoned-time.js'
import { LoadProblem } from '../shell/load-state.js'
import { useRevokeToken, useTokens, type TokenRecord } from './admin-api.js'
import { TokenDialog } from './token-dialog.js'
import '../auth/auth.css'

/**
 * #/admin/tokens: the signed-in user's own API tokens. A new token's secret
 * is shown once, in a dialog with a copy button (`data-token-secret`).
 * Buttons: `data-action="new-token" | "revoke-token"`; rows `data-token="<name>"`.
 */
export function TokensPage() {
  const { t } = useLocale()
  const tokens = useTokens()
  const revoke = useRevokeToken()
  const [creating, setCreating] = useState(false)
  const [secret, setSecret] = useState<string | undefined>()
  const companyClock = useCompanyTime()

  if (tokens.isError) return <LoadProblem error={tokens.error} onRetry={() => tokens.refetch()} />

  const describe = (scope: AccessScope) => {
    const actions = scope.actions.map((a) => t(`tokens.action.${a}` as MessageKey)).join(' · ')
    const target = scope.form ? t('tokens.form', { name: scope.form }) : t('tokens.report', { name: scope.report ?? '' })
    return `${scope.app} / ${target}: ${actions}`
  }
  const time = (value: string | null) => (value ? companyClock(value) : t('tokens.never'))

  const columns: TableColumnsType<TokenRecord> = [
    { title: t('tokens.name'), dataIndex: 'name' },
    {
      title: t('tokens.scopes'),
      render: (_, token) => (
        <Space direction="vertical" size={2}>
          {token.scopes.map((scope, index) => <Tag key={index}>{describe(scope)}</Tag>)}
        </Space>
      ),
    },
    { title: t('tokens.created'), render: (_, token) => time(token.createdAt) },
    { title: t('tokens.lastUsed'), render: (_, token) => time(token.lastUsedAt) },
    {
      title: t('admin.actions'),
      render: (_, token) =>
        token.revokedAt ? (
          <Tag>{t('tokens.revoked')}</Tag>
        ) : (
          <Popconfirm title={t('tokens.revokeConfirm')} onConfirm={() => revoke.mutate(token.id)}>
            <Button size="small" danger data-action="revoke-token">{t('tokens.revoke')}</Button>
          </Popconfirm>
        ),
    },
  ]

  return (
    <div data-page="admin-tokens">
      <div className="page-header">
        <Typography.Title level={3} className="page-title">{t('tokens.title')}</Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)} data-action="new-token">{t('tokens.new')}</Button>
      </div>
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <Table<TokenRecord>
        rowKey="id"
        size="middle"
        loading={tokens.isPending}
        columns={columns}
        dataSource={tokens.data}
        pagination={false}
        scroll={{ x: true }}
        onRow={(token) => ({ 'data-token': token.name }) as object}
      />
      <TokenDialog
        open={creating}
        onClose={(created) => {
          setCreating(false)
          setSecret(created)
        }}
      />
      <Modal
        open={secret !== undefined}
        title={t('tokens.showOnceTitle')}
        closable={false}
        maskClosable={false}
        destroyOnHidden
        footer={<Button type="primary" onClick={() => setSecret(undefined)} data-action="token-copied">{t('tokens.done')}</Button>}
      >
        <Alert type="warning" showIcon title={t('tokens.showOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: secret }} className="token-secret" data-token-secret={secret}>
          {secret}
        </Typography.Paragraph>
      </Modal>
    </div>
  )
}
