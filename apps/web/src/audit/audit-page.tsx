import { Button, Form, Input, InputNumber, Table, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState, type HTMLAttributes } from 'react'
import { useCompanyTime } from '../format/zoned-time.js'
import { useLocale } from '../locale-context.js'
import { AUDIT_ACTION_NAMES } from '../admin/access-messages.js'
import { routeHref } from '../routing/route.js'
import { LoadProblem } from '../shell/load-state.js'
import { useAuditSearch, type AuditFilters, type AuditRow } from './audit-api.js'
import { ChangeList } from './change-list.js'
import { NAMED_ACTORS } from './record-history.js'
import { CompanyDatePicker } from '../records/company-date-picker.js'
import './audit.css'

interface FilterValues {
  actor?: string
  action?: string
  app?: string
  form?: string
  record?: number | null
  from?: Dayjs | null
  to?: Dayjs | null
}

const PAGE_SIZE = 50

/**
 * #/admin/audit: the audit trail for administrators — filter by actor,
 * action ("record.*" for a prefix), app, form, record and dates; each row
 * opens to its changed values. Test hooks: `data-action="audit-search"`,
 * rows `data-audit-row=<id>`.
 */
export function AuditPage() {
  const { locale, t } = useLocale()
  const time = useCompanyTime()
  const [filters, setFilters] = useState<AuditFilters>({ page: 1, pageSize: PAGE_SIZE })
  const search = useAuditSearch(filters)

  const apply = (values: FilterValues) => {
    const text = (value?: string) => value?.trim() || undefined
    setFilters({
      actor: text(values.actor),
      action: text(values.action),
      app: text(values.app),
      form: text(values.form),
      record: values.record ? String(values.record) : undefined,
      from: values.from?.format('YYYY-MM-DD'),
      to: values.to?.format('YYYY-MM-DD'),
      page: 1,
      pageSize: PAGE_SIZE,
    })
  }

  const recordLink = (row: AuditRow) => {
    if (!row.app || !row.form || !row.recordId) return row.recordId ?? ''
    return <a href={routeHref({ name: 'record', app: row.app, form: row.form, id: row.recordId })}>{row.recordId}</a>
  }

  return (
    <div className="audit-page">
      <Typography.Title level={3} className="page-title">{t('access.auditTitle')}</Typography.Title>
      <Form layout="inline" className="audit-filters" onFinish={apply}>
        <Form.Item name="actor" label={t('access.actor')}><Input allowClear style={{ width: 120 }} /></Form.Item>
        <Form.Item name="action" label={t('access.action')}><Input allowClear placeholder="record.*" style={{ width: 140 }} /></Form.Item>
        <Form.Item name="app" label={t('access.app')}><Input allowClear style={{ width: 160 }} /></Form.Item>
        <Form.Item name="form" label={t('access.form')}><Input allowClear style={{ width: 120 }} /></Form.Item>
        <Form.Item name="record" label={t('access.record')}><InputNumber min={1} style={{ width: 100 }} /></Form.Item>
        <Form.Item name="from" label={t('access.from')}><CompanyDatePicker /></Form.Item>
        <Form.Item name="to" label={t('access.to')}><CompanyDatePicker /></Form.Item>
        <Button type="primary" htmlType="submit" data-action="audit-search">{t('access.search')}</Button>
      </Form>
      {search.isError && <LoadProblem error={search.error} onRetry={() => search.refetch()} />}
      <Table<AuditRow>
        rowKey="id"
        size="small"
        // On a phone the table scrolls within itself, not the whole page.
        scroll={{ x: 'max-content' }}
        loading={search.isFetching}
        dataSource={search.data?.items ?? []}
        onRow={(row) => ({ 'data-audit-row': row.id }) as HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (row) => <ChangeList before={row.before} after={row.after} />,
          rowExpandable: (row) => row.before !== null || row.after !== null,
        }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: search.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (page) => setFilters({ ...filters, page }),
        }}
        columns={[
          { key: 'at', title: t('access.at'), render: (_, row) => time(row.at) },
          {
            key: 'actor', title: t('access.actor'),
            // A user by name with the id the actor filter takes; the command line and the platform by name.
            render: (_, row) => row.actorName
              ? <span data-audit-actor={row.actor}>{row.actorName} <span className="fb-muted">{row.actor}</span></span>
              : <span data-audit-actor={row.actor}>{NAMED_ACTORS[row.actor] ? t(NAMED_ACTORS[row.actor]) : row.actor}</span>,
          },
          {
            key: 'action', title: t('access.action'),
            render: (_, row) => {
              const name = AUDIT_ACTION_NAMES[row.action]
              // Named as people say it, the code beside it: the search box takes the code.
              return name
                ? <span data-audit-action={row.action}>{name[locale]} <span className="fb-muted">{row.action}</span></span>
                : <span data-audit-action={row.action}>{row.action}</span>
            },
          },
          { key: 'app', title: t('access.app'), dataIndex: 'app' },
          { key: 'form', title: t('access.form'), dataIndex: 'form' },
          { key: 'record', title: t('access.record'), render: (_, row) => recordLink(row) },
          { key: 'origin', title: t('access.origin'), render: (_, row) => String(row.context?.ip ?? '') },
        ]}
      />
    </div>
  )
}
