import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Popconfirm, Space, Typography, type ButtonProps } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useState } from 'react'
import { apiRequest } from '../api/api-client.js'
import { useSettings } from '../api/queries.js'
import { useLocale } from '../locale-context.js'
import { CompanyDatePicker } from '../records/company-date-picker.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'

const FORMAT = 'YYYY-MM-DD'

/**
 * #/admin/periods: the company's close. Shows the last closed day
 * (`data-closed-through`, empty while nothing is closed), a date picker
 * (`data-field="closedThrough"`, days up to yesterday) with the button
 * `data-action="close-periods"`, and `data-action="reopen-periods"` to
 * open every period again. Both ask for confirmation first.
 */
export function PeriodClosePage() {
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const settings = useSettings()
  const client = useQueryClient()
  const [day, setDay] = useState<Dayjs | null>(null)
  const change = useMutation({
    mutationFn: (closedThrough: string | null) => apiRequest<{ closedThrough: string | null }>({
      method: 'PUT', path: '/admin/period-close', body: { closedThrough }, locale,
    }),
    onSuccess: (done) => {
      setDay(null)
      void client.invalidateQueries({ queryKey: [locale, 'settings'] })
      message.success(done.closedThrough ? t('periods.closed', { date: done.closedThrough }) : t('periods.reopened'))
    },
    onError: (error) => message.error(error.message),
  })

  if (settings.isError) return <LoadProblem error={settings.error} onRetry={() => settings.refetch()} />
  if (!settings.data) return <PageLoading />
  const { closedThrough = null, today } = settings.data
  const chosen = day?.format(FORMAT)

  return (
    <div data-page="admin-periods">
      <div className="page-header">
        <Typography.Title level={3} className="page-title">{t('periods.title')}</Typography.Title>
      </div>
      <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
        <Alert
          type={closedThrough ? 'info' : 'warning'}
          showIcon
          data-closed-through={closedThrough ?? ''}
          message={closedThrough ? t('periods.closedThrough', { date: closedThrough }) : t('periods.noneClosed')}
          description={t('periods.explain')}
        />
        <Card size="small" title={t('periods.closeTitle')}>
          <Space wrap>
            <CompanyDatePicker
              value={day}
              onChange={(value) => setDay(Array.isArray(value) ? null : value)}
              maxDate={dayjs(today, FORMAT).subtract(1, 'day')}
              placeholder={t('periods.pick')}
              style={{ width: 220 }}
              data-field="closedThrough"
              aria-label={t('periods.pick')}
            />
            <Popconfirm
              title={t('periods.confirmClose', { date: chosen ?? '' })}
              description={chosen && closedThrough && chosen < closedThrough
                ? t('periods.confirmEarlier', { date: chosen, closed: closedThrough })
                : t('periods.confirmCloseDetail', { date: chosen ?? '' })}
              okText={t('periods.close')}
              cancelText={t('admin.cancel')}
              disabled={!chosen}
              onConfirm={() => change.mutate(chosen!)}
              okButtonProps={{ 'data-action': 'confirm-close' } as ButtonProps}
            >
              <Button type="primary" disabled={!chosen || chosen === closedThrough} loading={change.isPending}
                data-action="close-periods">
                {t('periods.close')}
              </Button>
            </Popconfirm>
          </Space>
        </Card>
        {closedThrough && (
          <Popconfirm
            title={t('periods.confirmReopen', { date: closedThrough })}
            okText={t('periods.reopenShort')}
            cancelText={t('admin.cancel')}
            onConfirm={() => change.mutate(null)}
            okButtonProps={{ 'data-action': 'confirm-reopen' } as ButtonProps}
          >
            <Button danger data-action="reopen-periods" loading={change.isPending}>{t('periods.reopen')}</Button>
          </Popconfirm>
        )}
      </Space>
    </div>
  )
}
