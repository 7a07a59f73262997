import { localize } from '@tessera/core'
import { Button, Checkbox, Form, Input, Modal, Select, Space } from 'antd'
import { useApp, useApps } from '../api/queries.js'
import { showFieldIssues } from '../auth/field-errors.js'
import type { MessageKey } from '../i18n.js'
import { useLocale } from '../locale-context.js'
import { useCreateToken } from './admin-api.js'
import { actionsFor, toScopes, type ScopeRow } from './token-scope-input.js'

interface TokenValues {
  name: string
  scopes: ScopeRow[]
}

/** One scope: an app, one of its forms or reports, and the actions allowed on it. */
function ScopeFields({ name, appKey, target }: { name: number; appKey?: string; target?: string }) {
  const { locale, t } = useLocale()
  const apps = useApps()
  const app = useApp(appKey)

  const targets = app.data
    ? [
        ...app.data.forms.map((f) => ({ value: `form:${f.key}`, label: t('tokens.form', { name: localize(f.label, locale) }) })),
        ...app.data.reports.map((r) => ({ value: `report:${r.key}`, label: t('tokens.report', { name: localize(r.label, locale) }) })),
      ]
    : []
  return (
    <Space align="start" wrap data-scope={name}>
      <Form.Item name={[name, 'app']} rules={[{ required: true, message: t('auth.required') }]}>
        <Select
          style={{ width: 180 }}
          placeholder={t('tokens.app')}
          options={apps.data?.map((a) => ({ value: a.key, label: localize(a.label, locale) }))}
        />
      </Form.Item>
      <Form.Item name={[name, 'target']} rules={[{ required: true, message: t('auth.required') }]}>
        <Select style={{ width: 220 }} placeholder={t('tokens.target')} options={targets} showSearch={{ optionFilterProp: 'label' }} />
      </Form.Item>
      <Form.Item name={[name, 'actions']} rules={[{ required: true, message: t('auth.required') }]}>
        <Checkbox.Group
          options={actionsFor(target).map((action) => ({
            value: action,
            label: t(`tokens.action.${action}` as MessageKey),
          }))}
        />
      </Form.Item>
    </Space>
  )
}

/** Creates a token; the caller shows the secret that comes back, once. */
export function TokenDialog({ open, onClose }: { open: boolean; onClose(secret?: string): void }) {
  const { t } = useLocale()
  const [form] = Form.useForm<TokenValues>()
  const create = useCreateToken()
  const rows = Form.useWatch('scopes', form) ?? []

  const submit = (values: TokenValues) =>
    create.mutate({ name: values.name, scopes: toScopes(values.scopes ?? []) }, {
      onSuccess: ({ secret }) => {
        form.resetFields()
        onClose(secret)
      },
      onError: (error) => showFieldIssues(form, error, ['name']),
    })

  return (
    <Modal
      open={open}
      width={760}
      title={t('tokens.new')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('admin.create')}
      cancelText={t('admin.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-action': 'save-token' }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} initialValues={{ scopes: [{}] }}>
        <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, message: t('auth.required') }]} data-field="name">
          <Input maxLength={100} />
        </Form.Item>
        <Form.List name="scopes">
          {(fields, { add, remove }) => (
            <>
              <div className="ant-form-item-label"><label>{t('tokens.scopes')}</label></div>
              {fields.map((field) => (
                <Space key={field.key} align="start">
                  <ScopeFields name={field.name} appKey={rows[field.name]?.app} target={rows[field.name]?.target} />
                  {fields.length > 1 && <Button type="text" onClick={() => remove(field.name)}>✕</Button>}
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({})} data-action="add-scope">{t('tokens.addScope')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  )
}
