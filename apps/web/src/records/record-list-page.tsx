import { localize } from '@tessera/core'
import { Button, Input, Table, Typography } from 'antd'
import type { TableProps } from 'antd'
import type { FormAction, RecordData } from '@tessera/core'
import { useMemo, useState } from 'react'
import { useFormDefinition, useRecordPage, useSettings } from '../api/queries.js'
import { useLocale } from '../locale-context.js'
import { routeHref, type RouteQuery } from '../routing/route.js'
import { navigate } from '../routing/use-route.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { ExportMenu } from './export-menu.js'
import { ImportDialog } from './import-dialog.js'
import { listColumns } from './list-columns.js'
import { formatSort, parseSort } from './list-sort.js'

interface RecordListPageProps {
  app: string
  form: string
  /** page, pageSize, sort, q and filter, kept in the URL. */
  query: RouteQuery
}

const DEFAULT_PAGE_SIZE = 20

function positive(text: string | undefined, fallback: number): number {
  const number = Number(text)
  return Number.isInteger(number) && number > 0 ? number : fallback
}

/**
 * A form's records, paged, sorted and searched on the server. Rows carry
 * antd's `data-row-key="<id>"`; the create button `data-action="new"`.
 */
export default function RecordListPage({ app, form, query }: RecordListPageProps) {
  const { locale, t } = useLocale()
  const definition = useFormDefinition(app, form)
  const timeZone = useSettings().data?.timeZone
  const [importing, setImporting] = useState(false)
  // Without an access summary (no permissions in force) every action is offered.
  const can = (action: FormAction) => definition.data?.access?.actions.includes(action) ?? true

  const page = positive(query.page, 1)
  const pageSize = positive(query.pageSize, DEFAULT_PAGE_SIZE)
  const sort = useMemo(() => parseSort(query.sort), [query.sort])
  const records = useRecordPage(app, form, {
    page,
    pageSize,
    sort: query.sort,
    q: query.q,
    filter: query.filter,
  })

  const columns = useMemo(
    () =>
      definition.data
        ? listColumns({ app, definition: definition.data.definition, locale, sort, timeZone })
        : [],
    [app, definition.data, locale, sort, timeZone],
  )

  if (definition.isError) {
    return <LoadProblem error={definition.error} onRetry={() => definition.refetch()} />
  }
  if (!definition.data) return <PageLoading />

  const setQuery = (changes: RouteQuery) =>
    navigate({ name: 'list', app, form, query: { ...query, ...changes } }, { replace: true })

  const onTableChange: TableProps<RecordData>['onChange'] = (pagination, _filters, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter
    const field = typeof one?.columnKey === 'string' ? one.columnKey : undefined
    const order = one?.order
    const dir = order === 'descend' ? 'desc' : 'asc'
    const nextSort = field && order ? formatSort([{ field, dir }]) : ''
    setQuery({
      page: String(nextSort === (query.sort ?? '') ? (pagination.current ?? 1) : 1),
      pageSize: String(pagination.pageSize ?? pageSize),
      sort: nextSort,
    })
  }

  return (
    <div className="record-list" data-list={form}>
      <div className="page-header">
        <Typography.Title level={3} className="page-title">
          {localize(definition.data.definition.label, locale)}
        </Typography.Title>
        <div className="list-tools">
          <Input.Search
            key={query.q ?? ''}
            defaultValue={query.q}
            placeholder={t('list.search')}
            allowClear
            onSearch={(text) => setQuery({ q: text.trim(), page: '1' })}
            className="list-search"
            data-action="search"
          />
          {can('import') && (
            <Button onClick={() => setImporting(true)} data-action="import">
              {t('list.import')}
            </Button>
          )}
          {can('export') && <ExportMenu app={app} form={form} query={query} />}
          <Button
            type="primary"
            href={routeHref({ name: 'new', app, form })}
            data-action="new"
          >
            {t('list.new')}
          </Button>
        </div>
        {importing && <ImportDialog app={app} form={form} open onClose={() => setImporting(false)} />}
      </div>
      {records.isError ? (
        <LoadProblem error={records.error} onRetry={() => records.refetch()} />
      ) : (
        <Table<RecordData>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={records.data?.items ?? []}
          loading={records.isFetching}
          onChange={onTableChange}
          onRow={(record) => ({
            onClick: () => navigate({ name: 'record', app, form, id: record.id }),
            className: 'list-row',
          })}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('common.empty') }}
          pagination={{
            current: page,
            pageSize,
            total: records.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('list.total', { total }),
          }}
        />
      )}
    </div>
  )
}
