import { useRef, type CSSProperties, type PointerEvent as ReactPointerEvent } from 'react'
import { Button, Popconfirm } from 'antd'
import { localize } from '@tessera/core'
import type { DashboardWidget, WidgetLayout } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import type { DashboardQuery } from './dashboard-queries.js'
import { cellsMoved, GRID_COLUMNS, moveLayout, resizeLayout } from './layout-edit.js'
import type { DrillState } from './dashboard-queries.js'
import { type DashboardConditions, WidgetView } from './widget-view.js'

interface WidgetGridProps {
  app: string
  dashboard: string
  widgets: readonly DashboardWidget[]
  query: DashboardQuery
  refreshSeconds?: number
  /** The dashboard's params and global filters, for each widget to say which it does not follow. */
  conditions?: DashboardConditions
  /** Each drilled widget's level and clicked values, kept by the page (in its URL). */
  drills?: Readonly<Record<string, DrillState>>
  onDrill?(key: string, state: DrillState): void
  /** In edit mode widgets move by their title and resize by their corner. */
  editing?: boolean
  onLayoutChange?(key: string, layout: WidgetLayout): void
  /** In edit mode: take the widget off the dashboard (saved with the layout). */
  onRemove?(key: string): void
}

/**
 * Grid lines of a 12-column layout cell, as CSS custom properties, and its
 * width on a grid too narrow for the layout (a tablet, a phone on its side):
 * half the width for a widget of a third or less (KPI cards two to a row, not
 * four squeezed), the whole width for a wider one, charts and tables alike, so
 * that no half row is left empty beside them (`--tw`, see styles.css).
 */
export function cellStyle(layout: DashboardWidget['layout']): CSSProperties {
  const clamp = (value: number, min: number, max: number) =>
    Math.min(Math.max(Math.trunc(value) || 0, min), max)
  const x = clamp(layout.x, 0, 11)
  const w = clamp(layout.w, 1, 12 - x)
  return {
    '--x': x + 1,
    '--y': clamp(layout.y, 0, 999) + 1,
    '--w': w,
    '--h': clamp(layout.h, 1, 99),
    '--tw': w <= 4 ? 6 : 12,
  } as CSSProperties
}

/** Reading order: top to bottom, then left to right; phones stack widgets in it. */
export function readingOrder(widgets: readonly DashboardWidget[]): DashboardWidget[] {
  return [...widgets].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x)
}

interface Gesture {
  key: string
  kind: 'move' | 'resize'
  start: { x: number; y: number }
  layout: WidgetLayout
  cell: { width: number; height: number; gap: number }
}

/** The grid's cell size in pixels, read from its computed style. */
function measure(grid: HTMLElement): Gesture['cell'] {
  const style = getComputedStyle(grid)
  const gap = parseFloat(style.columnGap) || 0
  const width = (grid.getBoundingClientRect().width - gap * (GRID_COLUMNS - 1)) / GRID_COLUMNS
  const height = parseFloat(style.gridAutoRows) || 56
  return { width, height, gap }
}

/** Places widgets on a 12-column grid (one column on a phone; see styles.css). */
export function WidgetGrid(props: WidgetGridProps) {
  const { app, dashboard, widgets, query, refreshSeconds, editing, onLayoutChange, onRemove } = props
  const { locale, t } = useLocale()
  const grid = useRef<HTMLDivElement>(null)
  const gesture = useRef<Gesture | null>(null)

  const begin = (event: ReactPointerEvent<HTMLElement>, widget: DashboardWidget) => {
    if (!editing || !grid.current) return
    const target = event.target as HTMLElement
    const kind = target.closest('.widget-resize') ? 'resize' : target.closest('.widget-move') ? 'move' : undefined
    if (!kind) return
    event.preventDefault()
    event.currentTarget.setPointerCapture(event.pointerId)
    gesture.current = {
      key: widget.key,
      kind,
      start: { x: event.clientX, y: event.clientY },
      layout: widget.layout,
      cell: measure(grid.current),
    }
  }
  const follow = (event: ReactPointerEvent<HTMLElement>) => {
    const now = gesture.current
    if (!now) return
    const dx = cellsMoved(event.clientX - now.start.x, now.cell.width, now.cell.gap)
    const dy = cellsMoved(event.clientY - now.start.y, now.cell.height, now.cell.gap)
    const next = now.kind === 'move' ? moveLayout(now.layout, dx, dy) : resizeLayout(now.layout, dx, dy)
    onLayoutChange?.(now.key, next)
  }
  const end = () => {
    gesture.current = null
  }

  return (
    <div className="widget-grid-frame">
    <div ref={grid} className={editing ? 'widget-grid editing' : 'widget-grid'} data-editing={editing || undefined}>
      {readingOrder(widgets).map((widget) => (
        <div
          key={widget.key}
          className="widget-cell"
          style={cellStyle(widget.layout)}
          data-layout={JSON.stringify(widget.layout)}
          onPointerDown={(event) => begin(event, widget)}
          onPointerMove={follow}
          onPointerUp={end}
          onPointerCancel={end}
        >
          <WidgetView app={app} dashboard={dashboard} widget={widget} query={query}
            refreshSeconds={refreshSeconds} conditions={props.conditions}
            {...(props.onDrill ? {
              drill: props.drills?.[widget.key] ?? { path: {} },
              onDrill: (state: DrillState) => props.onDrill?.(widget.key, state),
              drills: props.drills,
            } : {})} />
          {editing && <span className="widget-resize" title={t('widget.resize')} data-action="resize" />}
          {editing && onRemove && (
            <Popconfirm
              title={t('widget.removeConfirm', { title: localize(widget.title, locale) || widget.key })}
              onConfirm={() => onRemove(widget.key)}
            >
              <Button className="widget-remove" size="small" danger title={t('widget.remove')}
                data-action="remove-widget">
                {t('widget.remove')}
              </Button>
            </Popconfirm>
          )}
        </div>
      ))}
    </div>
    </div>
  )
}
