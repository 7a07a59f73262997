import { Button, Result, Spin } from 'antd'
import { isApiError } from '../api/api-error.js'
import { useLocale } from '../locale-context.js'
import { routeHref } from '../routing/route.js'

export function PageLoading() {
  const { t } = useLocale()
  return (
    <div className="page-loading" aria-busy="true">
      <Spin description={t('common.loading')} />
    </div>
  )
}

/** A page whose data could not be loaded: the server's message, and a retry. */
export function LoadProblem({ error, onRetry }: { error: Error; onRetry(): void }) {
  const { t } = useLocale()
  const notFound = isApiError(error) && error.status === 404
  return (
    <Result
      status={notFound ? '404' : 'warning'}
      title={notFound ? t('common.notFound') : t('common.loadFailed')}
      subTitle={error.message}
      data-state="error"
      extra={[
        <Button key="retry" onClick={onRetry}>
          {t('common.retry')}
        </Button>,
        <Button key="home" type="link" href={routeHref({ name: 'home' })}>
          {t('common.backHome')}
        </Button>,
      ]}
    />
  )
}

export function NotFound() {
  const { t } = useLocale()
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      extra={
        <Button type="primary" href={routeHref({ name: 'home' })}>
          {t('common.backHome')}
        </Button>
      }
    />
  )
}
