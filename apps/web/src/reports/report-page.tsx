import { DEFAULT_TIME_ZONE, localize, todayIn } from '@tessera/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Popconfirm, Space, Typography } from 'antd'
import { useMemo } from 'react'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useApp, useReportSummary, useSettings } from '../api/queries.js'
import type { ReportResult } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import type { RouteQuery } from '../routing/route.js'
import { keepScroll, useScrollBack } from '../routing/scroll-memory.js'
import { hereNow, navigate } from '../routing/use-route.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import '../dashboard/dashboard.css'
import './report-print.css'
import { paramProblems, resolveDashboardParams } from '../dashboard/dashboard-params.js'
import { downloadBlob, fileName, paramNames } from '../dashboard/download.js'
import { useDrillOpener } from '../dashboard/drill-opener.js'
import { ParamBar } from '../dashboard/param-bar.js'
import { pivotSheet } from '../dashboard/pivot-sheet.js'
import { PivotWidget } from '../dashboard/pivot-widget.js'
import { TableWidget, tableTotals } from '../dashboard/table-widget.js'
import { UnreadableNote, leftOutLines } from '../dashboard/unreadable-note.js'
import { WidgetProblem } from '../dashboard/widget-problem.js'
import { XLSX_TYPE, xlsxWorkbook } from '../dashboard/xlsx-file.js'
import { aboutLines } from '../dashboard/export-about.js'
import { useCompanyTime } from '../format/zoned-time.js'
import { drillParams } from './drill-params.js'
import { usePrintTime } from './print-time.js'

/**
 * One report on a page of its own: its params (kept in the URL, with their
 * defaults), its rows as a table — or its pivot, with totals — and its
 * data as an Excel file. A click on a row or a cell opens the list of the
 * records behind it (as of the page's params, each with its share of the
 * figure). Every report a reader may run is listed under
 * 报表 in the app's menu, also those no dashboard shows; administrators
 * delete one no dashboard shows (the server refuses the others).
 */
export default function ReportPage({ app, report, query }: { app: string; report: string; query: RouteQuery }) {
  const { locale, t } = useLocale()
  const time = useCompanyTime()
  const { message } = App.useApp()
  const client = useQueryClient()
  const detail = useApp(app)
  const settings = useSettings()
  const summary = useReportSummary(app, report)
  const today = settings.data?.today ?? (settings.isError ? todayIn(DEFAULT_TIME_ZONE) : undefined)
  const params = useMemo(
    () => (summary.data ? resolveDashboardParams(summary.data.params, query, today) : undefined),
    [summary.data, query, today],
  )
  const problems = summary.data && params ? paramProblems(summary.data.params, params) : []
  // A required param not given yet (the ledger's customer): asked for, not run into a refusal.
  const missing = summary.data && params
    ? summary.data.params.filter((param) => param.required && (params[param.key] ?? '').trim() === '')
    : []
  const opener = useDrillOpener()
  const printedAt = usePrintTime()
  const run = useQuery({
    queryKey: [locale, 'report-run', app, report, params],
    queryFn: ({ signal }) => apiRequest<ReportResult>({
      path: apiPath('apps', app, 'reports', report, 'run'), query: params, locale, signal,
    }),
    enabled: params !== undefined && problems.length === 0 && missing.length === 0,
    placeholderData: (previous) => previous,
  })

  const remove = async () => {
    const from = hereNow()
    try {
      await apiRequest({ method: 'DELETE', path: apiPath('apps', app, 'reports', report), locale })
      await client.invalidateQueries({ queryKey: [locale, 'app', app] })
      message.success(t('report.deleted'))
      navigate({ name: 'app', app }, { replace: true, from })
    } catch (error) {
      // A report a dashboard still shows is refused, naming the dashboards.
      message.error(error instanceof Error ? error.message : String(error))
    }
  }

  // The list runs the report's drill for every page; a drill it refuses is said there.
  const drillTo = summary.data?.drillTo
  const pick = (clicked: Record<string, unknown>, measure?: string) => {
    if (!params) return
    // A report that names another for its rows opens that one, its params taken from the row.
    const opened = drillTo && drillParams(drillTo.params, clicked, params)
    if (drillTo && opened) {
      keepScroll()
      navigate({ name: 'report', app, key: drillTo.report, query: opened })
      window.scrollTo(0, 0)
      return
    }
    // Else the records behind the figure: of its form, or of the form the reader picks of a union's.
    void opener.open(app, { report, params, path: clicked, measure })
  }

  // Back from the records or the report a figure opened: at the rows clicked, once they are drawn.
  useScrollBack(summary.data !== undefined && run.data !== undefined)

  if (summary.isError) return <LoadProblem error={summary.error} onRetry={() => summary.refetch()} />
  if (!summary.data || !params) return <PageLoading />
  const title = localize(summary.data.label, locale)
  const result = run.data

  // What the figures are of: the report, the params it took (as it took them), and when.
  const labels = new Map(summary.data.params.map((param) => [param.key, localize(param.label, locale) || param.key]))
  const about = (taken: ReportResult, atLabel: string, at: number) => aboutLines({
    subject: [t('export.report'), title],
    params: taken.params,
    label: (key) => labels.get(key) ?? key,
    leftOut: leftOutLines(taken, locale, t),
    at: [atLabel, time(at)],
  })

  const exportData = () => {
    if (!result) return
    const measure = result.columns.find((column) => column.kind === 'measure')
    const tableTotalsRow = tableTotals(result)
    const sheet = result.pivot && measure
      ? pivotSheet(result.pivot, result.columns, measure, locale, t('widget.total'))
      : { columns: result.columns, rows: result.rows, totals: tableTotalsRow && { label: t('widget.total'), values: tableTotalsRow } }
    const bytes = xlsxWorkbook(title, sheet.columns, sheet.rows, locale, {
      about: { sheet: t('export.about'), lines: about(result, t('export.at'), Date.now()) },
      ...(sheet.totals ? { totals: sheet.totals } : {}),
    })
    // Named also by the params it took (客户往来明细-甲公司-2026-11-01..2026-11-30.xlsx), so two
    // customers' or two periods' files do not download under one name.
    downloadBlob(new Blob([bytes], { type: XLSX_TYPE }), fileName([title, ...paramNames(result.params)].join('-'), 'xlsx'))
  }

  return (
    <div className="report-page" data-report={report}>
      <div className="page-header">
        <Typography.Title level={3} className="page-title">{title}</Typography.Title>
        <Space wrap>
          <ParamBar
            params={summary.data.params}
            values={params}
            onChange={(key, value) => navigate({ name: 'report', app, key: report, query: { ...query, [key]: value } },
              { replace: true })}
            onRefresh={() => run.refetch()}
            suggest={(param, q) => apiRequest<string[]>({
              path: apiPath('apps', app, 'reports', report, 'params', param, 'options'), query: { q }, locale,
            })}
          />
          <Button onClick={exportData} disabled={!result} data-action="export-excel">{t('widget.exportExcel')}</Button>
          <Button onClick={() => window.print()} disabled={!result} data-action="print">{t('report.print')}</Button>
          {detail.data?.admin && (
            <Popconfirm title={t('report.deleteConfirm')} onConfirm={remove} okButtonProps={{ danger: true }}>
              <Button danger data-action="delete-report">{t('report.delete')}</Button>
            </Popconfirm>
          )}
        </Space>
      </div>
      {result && (
        // On paper the params read as text, not as inputs, with the time printed (report-print.css).
        <div className="print-only report-print-about" data-print-about="">
          {about(result, t('report.printedAt'), printedAt).slice(1).map(([label, value]) => (
            <span key={label}>{label}{locale === 'en' ? ': ' : '：'}{value}</span>
          ))}
        </div>
      )}
      {summary.data.description && (
        <Typography.Paragraph type="secondary" className="report-description">{localize(summary.data.description, locale)}</Typography.Paragraph>
      )}
      <UnreadableNote result={result} />
      <Card size="small" data-state={missing.length > 0 ? 'waiting'
        : run.isError ? 'error' : result && !run.isPlaceholderData ? 'ready' : 'loading'}>
        {problems.length > 0 ? (
          <Alert type="error" showIcon data-param-problems={problems.map((one) => one.param.key).join(',')}
            message={problems.map((one) => t(`dashboard.badParam.${one.expected}`, {
              label: localize(one.param.label, locale) || one.param.key, value: one.value,
            })).join('；')} />
        )
          : missing.length > 0 ? (
            <Alert type="info" showIcon data-param-missing={missing.map((one) => one.key).join(',')}
              message={t('report.fillIn', {
                labels: missing.map((one) => {
                  const label = localize(one.label, locale) || one.key
                  return locale === 'en' ? `"${label}"` : `「${label}」`
                }).join(t('widget.listSeparator')),
              })} />
          )
          : run.isError ? <WidgetProblem text={run.error.message} />
          : !result ? <PageLoading />
          : result.pivot ? <PivotWidget result={result} report={report} onPick={pick} />
          : <TableWidget result={result} onPick={pick} totals />}
      </Card>
      {opener.element}
    </div>
  )
}

