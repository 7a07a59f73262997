/**
 * Widget types a dashboard knows. Chart types are drawn with echarts, which
 * is loaded lazily; this module holds only names so that importing it costs
 * nothing.
 */
export const CHART_TYPES = ['bar', 'line', 'pie'] as const
export type ChartWidgetType = (typeof CHART_TYPES)[number]

export const WIDGET_TYPES = ['kpi', 'table', ...CHART_TYPES] as const
export type WidgetType = (typeof WIDGET_TYPES)[number]

export function isChartType(type: string): type is ChartWidgetType {
  return (CHART_TYPES as readonly string[]).includes(type)
}

export function isWidgetType(type: string): type is WidgetType {
  return (WIDGET_TYPES as readonly string[]).includes(type)
}
