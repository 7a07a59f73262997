import type { DashboardSpec, WidgetLayout } from '../api/types.js'

export const GRID_COLUMNS = 12
const MAX_ROWS = 999

/**
 * Moving and resizing a widget on the 12-column grid by whole cells. The
 * widget stays inside the grid: x + w ≤ 12, x, y ≥ 0, w, h ≥ 1.
 *
 * @example
 * moveLayout({ x: 10, y: 0, w: 3, h: 2 }, 5, -1) // → { x: 9, y: 0, w: 3, h: 2 }
 */
export function moveLayout(layout: WidgetLayout, dx: number, dy: number): WidgetLayout {
  const x = clamp(layout.x + dx, 0, GRID_COLUMNS - layout.w)
  const y = clamp(layout.y + dy, 0, MAX_ROWS)
  return { ...layout, x, y }
}

/** The smallest a widget is resized to by hand: its title (the drag handle) stays readable. */
const MIN_SIZE = 2

export function resizeLayout(layout: WidgetLayout, dw: number, dh: number): WidgetLayout {
  const w = clamp(layout.w + dw, Math.min(MIN_SIZE, layout.w), GRID_COLUMNS - layout.x)
  const h = clamp(layout.h + dh, Math.min(MIN_SIZE, layout.h), MAX_ROWS)
  return { ...layout, w, h }
}

/** How many whole cells a pointer travel of `pixels` spans, for cells of `cell` plus `gap`. */
export function cellsMoved(pixels: number, cell: number, gap: number): number {
  const step = cell + gap
  return step > 0 ? Math.round(pixels / step) : 0
}

/** The first free row below every widget: where a new widget goes. */
export function nextFreeRow(layouts: readonly WidgetLayout[]): number {
  return layouts.reduce((bottom, layout) => Math.max(bottom, layout.y + layout.h), 0)
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(Math.round(value), min), Math.max(min, max))
}

/**
 * The dashboard without one widget; a global filter's `fields` entry for
 * its report goes too once no other widget shows that report (the
 * dashboard check refuses `fields` naming a report nobody shows).
 */
export function withoutWidget(spec: DashboardSpec, key: string): DashboardSpec {
  const widgets = spec.widgets.filter((one) => one.key !== key)
  const shown = new Set(widgets.map((one) => one.report))
  if (!spec.filters) return { ...spec, widgets }
  const filters = spec.filters.map((filter) => {
    if (!filter.fields) return filter
    const fields = Object.fromEntries(Object.entries(filter.fields).filter(([report]) => shown.has(report)))
    const { fields: _dropped, ...rest } = filter
    return Object.keys(fields).length > 0 ? { ...rest, fields } : rest
  })
  return { ...spec, widgets, filters }
}
