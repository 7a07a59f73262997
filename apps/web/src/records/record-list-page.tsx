import { localize } from '@tessera/core'
import { Alert, Button, Grid, Input, Table, Tag, Typography } from 'antd'
import type { TableProps } from 'antd'
import type { FormAction, RecordData } from '@tessera/core'
import { useEffect, useMemo, useRef, useState } from 'react'
import { isApiError } from '../api/api-error.js'
import { useFormDefinition, useRecordPage, useSettings } from '../api/queries.js'
import type { ListView } from '../api/types.js'
import { useCurrentUser } from '../auth/current-user.js'
import { useLocale } from '../locale-context.js'
import { routeHref, type RouteQuery } from '../routing/route.js'
import { navigate } from '../routing/use-route.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { useColumnChoice } from './column-choice.js'
import { ColumnChooser } from './column-chooser.js'
import { ExportMenu } from './export-menu.js'
import { FilterBuilder } from './filter-builder.js'
import { ImportDialog } from './import-dialog.js'
import { DrillTotalsCard, drillShareColumns, drillTotalsRow } from './drill-columns.js'
import { DrillOrigin, readDrill } from './drill-origin.js'
import { ListCards } from './list-cards.js'
import { listColumns } from './list-columns.js'
import {
  formatListFilter,
  parseListFilter,
  type FilterModel,
  type ListFilter,
} from './list-filter.js'
import { ListPager } from './list-pager.js'
import { formatSort, parseSort } from './list-sort.js'
import { useListViews } from './view-queries.js'
import './record-list.css'
import { ViewSelector } from './view-selector.js'

interface RecordListPageProps {
  app: string
  form: string
  /** pageSize, sort, q, filter, view and the cursors after/before (or an old page), in the URL. */
  query: RouteQuery
}

const DEFAULT_PAGE_SIZE = 20

function positive(text: string | undefined, fallback: number): number {
  const number = Number(text)
  return Number.isInteger(number) && number > 0 ? number : fallback
}

/** The URL parameters that pick a page; any change of the list drops them. */
const AT_PAGE = { after: '', before: '', page: '' }

/**
 * A form's records, filtered, sorted, searched and paged (by cursor) on the
 * server, with the user's columns and saved views. Rows carry antd's
 * `data-row-key="<id>"`; the create button `data-action="new"`.
 */
export default function RecordListPage({ app, form, query }: RecordListPageProps) {
  const { locale, t } = useLocale()
  const user = useCurrentUser()
  const definition = useFormDefinition(app, form)
  const timeZone = useSettings().data?.timeZone
  const [importing, setImporting] = useState(false)
  const [filtering, setFiltering] = useState(false)
  // Without an access summary (no permissions in force) every action is offered.
  const can = (action: FormAction) => definition.data?.access?.actions.includes(action) ?? true
  // A phone shows cards: a table's amounts would sit off-screen to the right.
  const phone = !Grid.useBreakpoint().sm
  const shape = definition.data?.definition
  const columnChoice = useColumnChoice(user.id, app, form, shape)
  const { views } = useListViews(app, form)

  const pageSize = positive(query.pageSize, DEFAULT_PAGE_SIZE)
  const sort = useMemo(() => parseSort(query.sort), [query.sort])
  const filter = useMemo(
    () => (shape ? parseListFilter(query.filter, shape) : {}),
    [shape, query.filter],
  )
  const records = useRecordPage(app, form, {
    page: query.after || query.before ? undefined : positive(query.page, 1),
    pageSize,
    after: query.after || undefined,
    before: query.before || undefined,
    sort: query.sort,
    q: query.q,
    filter: filter.error ? undefined : query.filter,
    drill: query.drill || undefined,
  })

  const setQuery = (changes: RouteQuery) =>
    navigate({ name: 'list', app, form, query: { ...query, ...changes } }, { replace: true })

  const applyView = (view: ListView | undefined) => {
    columnChoice.choose(view?.columns)
    navigate({ name: 'list', app, form, query: {
      view: view ? String(view.id) : '',
      filter: view?.filter === undefined ? '' : JSON.stringify(view.filter),
      sort: view?.sort ?? '',
      pageSize: view?.pageSize ? String(view.pageSize) : '',
    } }, { replace: true })
  }

  // A list opened without any parameter starts from the user's default view.
  const defaulted = useRef(false)
  useEffect(() => {
    if (defaulted.current || !views.data) return
    defaulted.current = true
    const chosen = views.data.find((view) => view.isDefault)
    if (chosen && Object.keys(query).length === 0) applyView(chosen)
  })

  const shares = records.data?.drill
  const totalLabel = records.data?.totalExact ? t('list.drillTotal', { count: records.data.total.toLocaleString() }) : t('list.drillTotalAll')
  const drillQuery = readDrill(query.drill)
  const fromReport = drillQuery !== undefined && 'report' in drillQuery
  const columns = useMemo(
    () =>
      shape
        ? [
            ...listColumns({ app, definition: shape, locale, sort, timeZone, keys: columnChoice.shown }),
            ...drillShareColumns(shares, locale, t(fromReport ? 'list.reportFigure' : 'list.drillFigure')),
          ]
        : [],
    [app, shape, locale, sort, timeZone, columnChoice.shown, shares, fromReport, t],
  )

  if (definition.isError) {
    return <LoadProblem error={definition.error} onRetry={() => definition.refetch()} />
  }
  if (!shape) return <PageLoading />

  const onTableChange: TableProps<RecordData>['onChange'] = (_pagination, _filters, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter
    const field = typeof one?.columnKey === 'string' ? one.columnKey : undefined
    const dir = one?.order === 'descend' ? 'desc' : 'asc'
    setQuery({ ...AT_PAGE, sort: field && one?.order ? formatSort([{ field, dir }]) : '' })
  }
  const applyFilter = (model: FilterModel | undefined) => {
    setQuery({ ...AT_PAGE, filter: formatListFilter({ ...filter, custom: undefined, model }) })
  }
  const clearFilter = () => setQuery({ ...AT_PAGE, filter: '' })
  const replaceFilter = (parts: Partial<ListFilter>) =>
    setQuery({ ...AT_PAGE, filter: formatListFilter({ ...filter, ...parts }) })
  const rejected = records.isError && isApiError(records.error) && records.error.status === 400 &&
    query.filter ? records.error : undefined
  const conditionCount = filter.model?.conditions.length ?? 0
  // A list of one record's related records (客户 是 甲公司, from its page) says whose they are.
  const only = filter.model?.conditions.length === 1 && filter.model.conditions[0].op === 'is'
    ? filter.model.conditions[0] : undefined
  const onlyField = only && shape.fields.find((field) => field.key === only.field)
  const onlyTitle = only && records.data?.items.find((record) => record.values[only.field] === only.value)?.titles?.[only.field]

  return (
    <div className="record-list" data-list={form}>
      <div className="page-header">
        <Typography.Title level={3} className="page-title">
          {localize(shape.label, locale)}
        </Typography.Title>
        <div className="list-tools">
          <Input.Search
            key={query.q ?? ''}
            defaultValue={query.q}
            placeholder={t('list.search')}
            aria-label={t('list.search')}
            enterButton={t('list.searchGo')}
            allowClear
            onSearch={(text) => setQuery({ ...AT_PAGE, q: text.trim() })}
            className="list-search"
            data-action="search"
          />
          {can('import') && (
            <Button onClick={() => setImporting(true)} data-action="import">
              {t('list.import')}
            </Button>
          )}
          {can('export') && <ExportMenu app={app} form={form} query={query} columns={columnChoice.shown} />}
          {can('create') && (
            <Button
              type="primary"
              href={routeHref({ name: 'new', app, form })}
              data-action="new"
            >
              {t('list.new')}
            </Button>
          )}
        </div>
        {importing && <ImportDialog app={app} form={form} open onClose={() => setImporting(false)} />}
      </div>
      <div className="list-bar">
        <ViewSelector
          app={app}
          form={form}
          active={query.view ? Number(query.view) : undefined}
          current={{
            filter: query.filter && !filter.error ? JSON.parse(query.filter) : undefined,
            sort: query.sort || undefined,
            columns: columnChoice.chosen,
            pageSize,
          }}
          onPick={applyView}
        />
        <Button onClick={() => setFiltering(!filtering)} type={conditionCount ? 'primary' : 'default'}
          ghost={conditionCount > 0} data-action="filter">
          {t('list.filter')}{conditionCount ? ` (${conditionCount})` : ''}
        </Button>
        <ColumnChooser definition={shape} shown={columnChoice.shown} onChange={columnChoice.choose} />
        {query.drill && (
          <Tag closable onClose={() => setQuery({ ...AT_PAGE, drill: '' })}
            data-chip="dashboard-drill" color="blue">
            {t(fromReport ? 'list.filter.reportDrill' : 'list.filter.dashboardDrill', { count: records.data?.total ?? '…' })}
          </Tag>
        )}
        {filter.drill && (
          <Tag closable onClose={() => replaceFilter({ drill: undefined })}
            data-chip="drill" color="blue">
            {t('list.filter.drill', { count: filter.drill.ids.length })}
          </Tag>
        )}
        {onlyField && typeof only?.value === 'number' && (
          <Tag closable onClose={clearFilter} data-chip="related" color="blue">
            {localize(onlyField.label, locale)}：{onlyTitle ?? `#${only.value}`}
          </Tag>
        )}
        {filter.custom !== undefined && (
          <Tag closable onClose={() => replaceFilter({ custom: undefined })}
            data-chip="custom">
            {t('list.filter.custom')}
          </Tag>
        )}
      </div>
      {drillQuery && <DrillOrigin app={app} drill={drillQuery} page={records.data} />}
      {filtering && (
        <FilterBuilder
          key={query.filter ?? ''}
          app={app}
          definition={shape}
          initial={filter.model}
          onApply={applyFilter}
          titleOf={(field, id) => records.data?.items
            .find((record) => record.values[field] === id)?.titles?.[field] ?? undefined}
        />
      )}
      {filter.error || rejected ? (
        <Alert
          type="warning"
          showIcon
          data-problem="filter"
          message={filter.error
            ? t('list.filter.badLink')
            : rejected!.message}
          action={
            <Button size="small" onClick={clearFilter} data-action="filter-reset">
              {t('list.filter.clear')}
            </Button>
          }
        />
      ) : records.isError ? (
        <LoadProblem error={records.error} onRetry={() => records.refetch()} />
      ) : (
        <>
          {phone ? (
            <ListCards columns={columns} titleKey={shape.titleField} records={records.data?.items ?? []} empty={t('common.empty')}
              onOpen={(record) => navigate({ name: 'record', app, form, id: record.id })}
              footer={<DrillTotalsCard drill={shares} label={totalLabel} locale={locale}
                suffix={t(fromReport ? 'list.reportFigure' : 'list.drillFigure')} />} />
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
              pagination={false}
              summary={drillTotalsRow(shares, columns.length - (shares?.columns.length ?? 0), totalLabel)}
            />
          )}
          <ListPager
            page={records.data}
            pageSize={pageSize}
            onPage={(cursor) => setQuery({ ...AT_PAGE, ...cursor })}
            onPageSize={(size) => setQuery({ ...AT_PAGE, pageSize: String(size) })}
          />
        </>
      )}
    </div>
  )
}
