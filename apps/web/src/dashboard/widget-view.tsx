import { localize } from '@tessera/core'
import { App, Button, Card, Skeleton, Tag, Tooltip } from 'antd'
import { useEffect, useState } from 'react'
import type { DashboardFilter, DashboardParam, DashboardWidget } from '../api/types.js'
import { isWidgetType } from '../charts/chart-types.js'
import { useLocale } from '../locale-context.js'
import { hereNow, navigate } from '../routing/use-route.js'
import { type DashboardQuery, type DrillState, knownFilterLabels, useWidgetRun } from './dashboard-queries.js'
import { downloadBlob, fileName } from './download.js'
import { DrillPath } from './drill-path.js'
import { pivotSheet } from './pivot-sheet.js'
import { useDrillOpener } from './drill-opener.js'
import { nextDrillStep, pathCaption } from './drill-records.js'
import { WidgetBody } from './widget-body.js'
import { WidgetProblem } from './widget-problem.js'
import { UnreadableNote, leftOutLines } from './unreadable-note.js'
import { XLSX_TYPE, xlsxWorkbook } from './xlsx-file.js'
import { type AboutLine, aboutLines } from './export-about.js'
import { useCompanyTime } from '../format/zoned-time.js'
import { useQueryClient } from '@tanstack/react-query'

interface WidgetViewProps {
  app: string
  dashboard: string
  widget: DashboardWidget
  /** The dashboard's params and global filters. */
  query: DashboardQuery
  refreshSeconds?: number
  conditions?: DashboardConditions
  /** Where the widget is drilled to, when the page keeps it (in its URL); else the widget keeps it. */
  drill?: DrillState
  onDrill?(state: DrillState): void
  /** Every widget's drill on the page, for the way back from a drilled list. */
  drills?: Readonly<Record<string, DrillState>>
}

export interface DashboardConditions {
  params: readonly DashboardParam[]
  filters: readonly DashboardFilter[]
}

/**
 * The dashboard's params and set filters this widget does not follow: all
 * the params when its report takes none of them (the run's params say
 * which it took), and a set filter whose `fields` leave its report out. A widget the
 * builder made over a form of its own shows today's figures under an
 * as-of date of 30 June, and the reader must be told so.
 */
export function ignoredConditions(
  conditions: DashboardConditions | undefined,
  widget: DashboardWidget,
  query: DashboardQuery,
  taken: Record<string, unknown> | undefined,
): Array<DashboardParam | DashboardFilter> {
  if (!conditions || !taken) return []
  // A widget whose report takes some of the params is read in their light
  // (an aging as of a date needs no period); one taking none follows none.
  const follows = (param: DashboardParam) => Object.hasOwn(taken, param.key) || Object.hasOwn(widget.params ?? {}, param.key)
  const params = conditions.params.some(follows) ? [] : conditions.params
  const filters = conditions.filters.filter((filter) => filter.fields?.[widget.report] === null &&
    (query.filters[filter.key]?.length ?? 0) > 0)
  return [...params, ...filters]
}


/** Where a widget stands, exposed as `data-state` for browser tests. */
export type WidgetState = 'loading' | 'ready' | 'error'

/**
 * One dashboard tile: runs its report as the dashboard shows it and draws
 * it as its type says. A click on a figure goes one drill level down, or
 * opens the record list behind the figure.
 *
 * Test hooks: the card carries `data-widget="<key>"`, `data-widget-type`,
 * `data-state` and `data-level` (the drill level shown); see KpiWidget,
 * TableWidget and ChartWidget for the figures.
 */
export function WidgetView(props: WidgetViewProps) {
  const { app, dashboard, widget, query, refreshSeconds, conditions } = props
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const client = useQueryClient()
  const time = useCompanyTime()
  const [own, setOwn] = useState<DrillState>({ path: {} })
  // Other params or filters start the drill over: the values clicked may not be there any more.
  // (A dashboard page keeps the drill in its URL, and starts it over itself.)
  const asked = JSON.stringify(query)
  useEffect(() => setOwn({ path: {} }), [asked])
  const drill = props.drill ?? own
  const setDrill = props.onDrill ?? setOwn
  const opener = useDrillOpener()
  const known = isWidgetType(widget.type)
  const run = useWidgetRun(app, dashboard, widget.key, query, drill, { enabled: known, refreshSeconds })
  const title = localize(widget.title, locale) || widget.key
  const level = drill.level ?? widget.drill?.[0]

  const pick = async (clicked: Record<string, unknown>, measure?: string) => {
    const step = nextDrillStep(widget.drill, { level, path: drill.path }, clicked)
    if (step.kind === 'level') {
      setDrill({ level: step.level, path: step.path })
      return
    }
    // The list runs the drill for every page and shows each record's share of the figure beside its fields.
    await opener.open(app, {
      dashboard, widget: widget.key, ...query, path: step.path, measure, drills: props.drills,
    })
  }

  const result = run.data
  let state: WidgetState = 'loading'
  let body = <Skeleton active paragraph={{ rows: 2 }} title={false} />
  if (!known) {
    state = 'error'
    body = <WidgetProblem text={t('widget.unknownType', { type: widget.type })} />
  } else if (run.isError) {
    state = 'error'
    body = <WidgetProblem text={run.error.message} />
  } else if (result) {
    state = run.isPlaceholderData ? 'loading' : 'ready'
    body = <WidgetBody widget={widget} result={result} title={title} level={level} onPick={pick} />
  }

  const ignored = ignoredConditions(conditions, widget, query, result?.params)

  const exportData = () => {
    if (!result) return
    // A widget in percent shows its own measures so (a KPI one of the report's), not every column.
    const shown = widget.measure ? [widget.measure] : widget.measures
      ?? result.columns.filter((column) => column.kind === 'measure').map((column) => column.key)
    const percent = widget.percent ? shown : []
    // A pivot is written as it is laid out, with its totals; other widgets as the report's rows.
    const chosen = widget.measure ?? widget.measures?.[0]
    const measure = result.columns.find((column) =>
      column.kind === 'measure' && (chosen === undefined || column.key === chosen))
    const sheet = widget.type === 'pivot' && result.pivot && measure
      ? pivotSheet(result.pivot, result.columns, measure, locale, result.pivot.omitted
        ? t('widget.totalWithOmitted', { count: result.pivot.omitted })
        : t('widget.total'))
      : undefined
    // The file says which day, period, filters and drill its figures are of.
    const paramLabel = (key: string) => {
      const param = conditions?.params.find((one) => one.key === key)
      return param ? localize(param.label, locale) || key : key
    }
    // The filters that shaped these figures (not those the widget is left out of), by their labels.
    const filterLines = (conditions?.filters ?? []).flatMap((filter): AboutLine[] => {
      const values = query.filters[filter.key] ?? []
      if (values.length === 0 || filter.fields?.[widget.report] === null) return []
      const labels = knownFilterLabels(client, locale, app, dashboard, filter.key)
      const shown = values.map((value) => (labels.get(value) ?? value).replace('..', ' – '))
      return [[localize(filter.label, locale) || filter.key, shown.join(t('widget.listSeparator'))]]
    })
    // Each level clicked through: by its name where the run still shows that column (客户 甲公司),
    // else by its value alone (a region clicked above a list of customers: 华东).
    const drilled = Object.keys(drill.path).filter((key) => !/__(index|others)$/.test(key) || !Object.hasOwn(drill.path, key.replace(/__(index|others)$/, '')))
      .map((key) => {
        const column = result.columns.find((one) => one.key === key.replace(/__(index|others)$/, ''))
        const [value] = pathCaption({ [key]: drill.path[key] }, result.columns)
        return column ? `${localize(column.label, locale)} ${value ?? ''}`.trim() : value ?? ''
      })
    const about = {
      sheet: t('export.about'),
      lines: aboutLines({
        subject: [t('export.widget'), title],
        params: result.params,
        label: paramLabel,
        filters: filterLines,
        ...(drilled.length > 0 ? { drilled: [t('export.drilled'), drilled.join(' · ')] as const } : {}),
        leftOut: leftOutLines(result, locale, t),
        at: [t('export.at'), time(Date.now())],
      }),
    }
    const bytes = sheet
      ? xlsxWorkbook(title, sheet.columns, sheet.rows, locale, {
        percent: widget.percent ? sheet.columns.filter((column) => column.kind === 'measure').map((column) => column.key) : [],
        about,
        totals: sheet.totals,
      })
      : xlsxWorkbook(title, result.columns, result.rows, locale, { percent, about })
    downloadBlob(new Blob([bytes], { type: XLSX_TYPE }), fileName(title, 'xlsx'))
  }

  return (
    <Card
      size="small"
      title={
        <span className="widget-title">
          <span className="widget-move">{title}</span>
          {widget.drill && (
            <DrillPath levels={widget.drill} state={drill} onChange={setDrill} />
          )}
          {ignored.length > 0 && (
            <Tooltip title={t('widget.ignoresWhy')}>
              <Tag className="widget-ignores" data-ignores={ignored.map((one) => one.key).join(',')}>
                {t('widget.ignores', { names: ignored.map((one) => localize(one.label, locale) || one.key).join(t('widget.listSeparator')) })}
              </Tag>
            </Tooltip>
          )}
          <UnreadableNote result={result} compact />
        </span>
      }
      extra={
        <Button size="small" type="text" onClick={exportData} disabled={!result}
          data-action="export-excel" title={t('widget.exportExcel')}>
          Excel
        </Button>
      }
      className={`widget widget-${known ? widget.type : 'unknown'}`}
      data-widget={widget.key}
      data-widget-type={widget.type}
      data-state={state}
      data-level={level}
      aria-busy={state === 'loading'}
    >
      {body}
      {opener.element}
    </Card>
  )
}
