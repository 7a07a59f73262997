import { localize } from '@tessera/core'
import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Form, Input, List, Modal, Select, Typography } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useApp, useFormDefinition } from '../api/queries.js'
import type { DashboardFilter, DashboardSpec } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import { fieldPaths, useLinkedForms } from './builder-fields.js'
import { saveDashboardSpec } from './dashboard-queries.js'

interface NewFilter {
  nameZh: string
  nameEn?: string
  form: string
  path: string
}

/**
 * The dashboard's global filters without JSON (administrators): each one
 * listed with 删除, and a new one made from a field of a form — a text,
 * choice or linked record's field becomes a multiple-choice filter whose
 * choices are that field's values, a date a date range. Widgets whose
 * report is over another form are left out of it (`fields: null`), as
 * the widget builder does for a widget its filters cannot reach.
 */
export function FilterEditor({ app, spec, open, onClose }: { app: string; spec: DashboardSpec; open: boolean; onClose(): void }) {
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const client = useQueryClient()
  const [form] = Form.useForm<NewFilter>()
  const detail = useApp(app)
  const [source, setSource] = useState('')
  const [busy, setBusy] = useState(false)
  const definition = useFormDefinition(app, source, source !== '')
  const linked = useLinkedForms(app, definition.data)
  const fields = useMemo(() => fieldPaths(definition.data, linked, locale).filter((field) => field.kind !== 'number'),
    [definition.data, linked, locale])

  useEffect(() => {
    if (!open) return
    form.resetFields()
    setSource('')
  }, [open, form])

  const save = async (filters: DashboardFilter[]) => {
    setBusy(true)
    try {
      await saveDashboardSpec(app, { ...spec, filters }, locale)
      await client.invalidateQueries({ queryKey: [locale, 'dashboard', app, spec.key] })
      message.success(t('dashboard.filtersSaved'))
      return true
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error))
      return false
    } finally {
      setBusy(false)
    }
  }

  const add = async (values: NewFilter) => {
    const field = fields.find((one) => one.path === values.path)
    if (!field || !definition.data) return
    // A path through a link names a field of the linked form: the choices are that form's values.
    const [first, rest] = values.path.split('.')
    const link = definition.data.definition.fields.find((one) => one.key === first)
    const options = rest !== undefined && link?.type === 'link' ? { form: link.form, field: rest } : { form: values.form, field: first }
    const reports = [...new Set(spec.widgets.map((widget) => widget.report))]
    const sources = await Promise.all(reports.map((report) =>
      apiRequest<{ source?: unknown }>({ path: apiPath('apps', app, 'reports', report, 'spec'), locale })
        .then((one) => one.source, () => undefined)))
    const elsewhere = reports.filter((_, index) => sources[index] !== values.form)
    const zh = values.nameZh.trim()
    const en = values.nameEn?.trim()
    const filter: DashboardFilter = {
      key: `f_${Date.now().toString(36)}`,
      label: en ? { 'zh-CN': zh, en } : zh,
      type: field.kind === 'date' ? 'date-range' : 'select',
      field: values.path,
      ...(field.kind === 'date' ? {} : { options: { form: options.form, field: options.field } }),
      ...(elsewhere.length > 0 ? { fields: Object.fromEntries(elsewhere.map((report) => [report, null])) } : {}),
    }
    if (await save([...(spec.filters ?? []), filter])) onClose()
  }

  return (
    <Modal open={open} title={t('dashboard.filtersTitle')} onCancel={onClose} destroyOnHidden
      okText={t('dashboard.filterAdd')} cancelText={t('dashboard.editCancel')} confirmLoading={busy}
      onOk={() => form.submit()} okButtonProps={{ 'data-action': 'add-filter' }}>
      <List size="small" data-filter-list="" locale={{ emptyText: t('dashboard.filtersNone') }}
        dataSource={spec.filters ?? []}
        renderItem={(filter) => (
          <List.Item data-filter-item={filter.key} actions={[
            <Button key="remove" size="small" danger data-action="remove-filter" disabled={busy}
              onClick={() => void save((spec.filters ?? []).filter((one) => one.key !== filter.key)).then((saved) => saved && onClose())}>
              {t('dashboard.filterRemove')}
            </Button>,
          ]}>
            {localize(filter.label ?? filter.key, locale) || filter.key}
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{filter.field}</Typography.Text>
          </List.Item>
        )} />
      <Form form={form} layout="vertical" onFinish={add} requiredMark={false} style={{ marginTop: 16 }}>
        <Form.Item name="form" label={t('dashboard.filterForm')} data-field="form"
          rules={[{ required: true, message: t('dashboard.filterFormRequired') }]}>
          <Select options={(detail.data?.forms ?? []).map((one) => ({ value: one.key, label: localize(one.label, locale) }))}
            onChange={(next: string) => {
              setSource(next)
              form.setFieldValue('path', undefined)
            }} />
        </Form.Item>
        <Form.Item name="path" label={t('dashboard.filterField')} data-field="path"
          rules={[{ required: true, message: t('dashboard.filterFieldRequired') }]}>
          <Select showSearch optionFilterProp="label" disabled={source === ''} loading={definition.isFetching}
            options={fields.map((field) => ({ value: field.path, label: field.label }))}
            onChange={(path: string) => {
              // Named after the field (区域 for 客户 · 区域) unless a name was typed.
              const names = fields.find((one) => one.path === path)?.names
              if (!form.getFieldValue('nameZh')) form.setFieldValue('nameZh', names?.['zh-CN'].split(' · ').pop())
              if (!form.getFieldValue('nameEn')) form.setFieldValue('nameEn', names?.en.split(' · ').pop())
            }} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('dashboard.nameZh')} data-field="nameZh"
          rules={[{ required: true, whitespace: true, message: t('dashboard.nameRequired') }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('dashboard.nameEn')} data-field="nameEn">
          <Input maxLength={60} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
