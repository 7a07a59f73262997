import type { CSSProperties } from 'react'
import type { DashboardWidget } from '../api/types.js'
import { WidgetView } from './widget-view.js'

interface WidgetGridProps {
  app: string
  widgets: readonly DashboardWidget[]
  params: Record<string, string>
}

/** Grid lines of a 12-column layout cell, as CSS custom properties. */
export function cellStyle(layout: DashboardWidget['layout']): CSSProperties {
  const clamp = (value: number, min: number, max: number) =>
    Math.min(Math.max(Math.trunc(value) || 0, min), max)
  const x = clamp(layout.x, 0, 11)
  return {
    '--x': x + 1,
    '--y': clamp(layout.y, 0, 999) + 1,
    '--w': clamp(layout.w, 1, 12 - x),
    '--h': clamp(layout.h, 1, 99),
  } as CSSProperties
}

/** Reading order: top to bottom, then left to right; phones stack widgets in it. */
export function readingOrder(widgets: readonly DashboardWidget[]): DashboardWidget[] {
  return [...widgets].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x)
}

/** Places widgets on a 12-column grid (one column on a phone; see styles.css). */
export function WidgetGrid({ app, widgets, params }: WidgetGridProps) {
  return (
    <div className="widget-grid">
      {readingOrder(widgets).map((widget) => (
        <div key={widget.key} className="widget-cell" style={cellStyle(widget.layout)}>
          <WidgetView app={app} widget={widget} params={params} />
        </div>
      ))}
    </div>
  )
}
