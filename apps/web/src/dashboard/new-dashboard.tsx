import { App, Checkbox, Form, Input, Modal } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { apiPath, apiRequest } from '../api/api-client.js'
import { isApiError } from '../api/api-error.js'
import type { DashboardSpec } from '../api/types.js'
import { showFieldIssues } from '../auth/field-errors.js'
import { useLocale } from '../locale-context.js'
import { navigate } from '../routing/use-route.js'

interface NewDashboardValues {
  nameZh: string
  nameEn?: string
  key?: string
  dated: boolean
}

/**
 * Creates an empty dashboard of the app (administrators) and opens it,
 * ready for 新建组件. Named in Chinese (English optional); the key is made
 * up when left empty. With 截止日期与期间 it takes an as-of date and a
 * period, the params the widget builder ties a widget's dates to.
 */
export function NewDashboardDialog({ app, open, onClose }: { app: string; open: boolean; onClose(): void }) {
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const client = useQueryClient()
  const [form] = Form.useForm<NewDashboardValues>()

  useEffect(() => {
    if (open) form.resetFields()
  }, [open, form])

  const submit = async (values: NewDashboardValues) => {
    const key = values.key?.trim() || `board_${Date.now().toString(36)}`
    const zh = values.nameZh.trim()
    const en = values.nameEn?.trim()
    const spec: DashboardSpec = {
      key,
      label: en ? { 'zh-CN': zh, en } : zh,
      ...(values.dated ? { params: DATED_PARAMS } : {}),
      widgets: [],
    }
    try {
      await apiRequest<DashboardSpec>({ method: 'POST', path: apiPath('apps', app, 'dashboards'), body: spec, locale })
      await client.invalidateQueries({ queryKey: [locale, 'app', app] })
      message.success(t('dashboard.created'))
      onClose()
      navigate({ name: 'dashboard', app, key })
    } catch (error) {
      if (showFieldIssues(form, error, ['key'])) return
      const label = isApiError(error) ? error.issues.find((issue) => issue.field?.startsWith('label')) : undefined
      if (label) form.setFields([{ name: 'nameZh', errors: [label.message] }])
      else message.error(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <Modal
      open={open}
      title={t('dashboard.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('dashboard.create')}
      cancelText={t('dashboard.editCancel')}
      okButtonProps={{ 'data-action': 'create-dashboard' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} initialValues={{ dated: true }}
        data-new-dashboard="">
        <Form.Item name="nameZh" label={t('dashboard.nameZh')} data-field="nameZh"
          rules={[{ required: true, whitespace: true, message: t('dashboard.nameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('dashboard.nameEn')} data-field="nameEn">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="key" label={t('dashboard.key')} extra={t('dashboard.keyHelp')} data-field="key">
          <Input maxLength={63} placeholder="collections" />
        </Form.Item>
        <Form.Item name="dated" valuePropName="checked" data-field="dated">
          <Checkbox>{t('dashboard.withDates')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** An as-of date (today) and a period (the month so far): what the template's dashboard takes. */
const DATED_PARAMS: NonNullable<DashboardSpec['params']> = [
  { key: 'asOf', type: 'date', label: { 'zh-CN': '截止日期', en: 'As of' }, default: 'today' },
  { key: 'period', type: 'period', label: { 'zh-CN': '期间', en: 'Period' }, default: 'month_to_date' },
]
