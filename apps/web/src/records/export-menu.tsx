import { Button, Dropdown } from 'antd'
import { apiPath, buildUrl } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'
import type { RouteQuery } from '../routing/route.js'

interface ExportMenuProps {
  app: string
  form: string
  /** The list's query: the export holds the same filter, search, order and dashboard drill. */
  query: RouteQuery
  /** The columns the list shows, in order: the export holds those. */
  columns?: readonly string[]
}

/**
 * The export of the current list view (its rows, columns and language), as
 * CSV or Excel: plain links the browser downloads.
 */
export function ExportMenu({ app, form, query, columns }: ExportMenuProps) {
  const { t, locale } = useLocale()
  const href = (format: 'csv' | 'xlsx') =>
    buildUrl(apiPath('apps', app, 'forms', form, 'export'), {
      format,
      sort: query.sort,
      filter: query.filter,
      q: query.q,
      drill: query.drill,
      columns: columns?.join(','),
      // A plain link carries the browser's languages, not the one the page is shown in.
      locale,
    })

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: <a href={href('xlsx')} download data-export="xlsx">{t('list.exportXlsx')}</a> },
          { key: 'csv', label: <a href={href('csv')} download data-export="csv">{t('list.exportCsv')}</a> },
        ],
      }}
    >
      <Button data-action="export">{t('list.export')}</Button>
    </Dropdown>
  )
}
