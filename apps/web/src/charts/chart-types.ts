/**
 * Widget types a dashboard knows. Chart types are drawn with echarts, which
 * is loaded lazily; this module holds only names so that importing it costs
 * nothing.
 */
export const CHART_TYPES = [
  'bar',
  'stacked_bar',
  'line',
  'area',
  'pie',
  'donut',
  'funnel',
  'gauge',
] as const
export type ChartWidgetType = (typeof CHART_TYPES)[number]

export const WIDGET_TYPES = ['kpi', 'table', 'pivot', ...CHART_TYPES] as const
export type WidgetType = (typeof WIDGET_TYPES)[number]

/** Charts with a category axis; they may split series by a second dimension. */
export const CARTESIAN_TYPES = ['bar', 'stacked_bar', 'line', 'area'] as const
export type CartesianType = (typeof CARTESIAN_TYPES)[number]

/** Charts of parts of a whole: one measure, one slice per category. */
export const SLICE_TYPES = ['pie', 'donut', 'funnel'] as const
export type SliceType = (typeof SLICE_TYPES)[number]

export function isChartType(type: string): type is ChartWidgetType {
  return (CHART_TYPES as readonly string[]).includes(type)
}

export function isWidgetType(type: string): type is WidgetType {
  return (WIDGET_TYPES as readonly string[]).includes(type)
}

export function isCartesian(type: string): type is CartesianType {
  return (CARTESIAN_TYPES as readonly string[]).includes(type)
}

export function isSliced(type: string): type is SliceType {
  return (SLICE_TYPES as readonly string[]).includes(type)
}
