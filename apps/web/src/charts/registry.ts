import { BarChart, FunnelChart, GaugeChart, LineChart, PieChart } from 'echarts/charts'
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { init, use, type EChartsInitOpts, type EChartsType } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import type { ChartWidgetType } from './chart-types.js'

type EChartsExtension = Extract<Parameters<typeof use>[0], readonly unknown[]>[number]

/**
 * The echarts modules each chart type draws with. echarts only draws what
 * was registered through `use()`; a missing module is reported in
 * development ("… is used but not imported") and silently left out of the
 * picture in production. Each list must therefore cover everything that
 * buildChartOption() emits for its type, on its own: a dashboard holding
 * only pies registers only the pie list. test/chart-registry.test.ts checks
 * every type in a fresh process.
 *
 * Only modular entry points are imported here; the package root would
 * pull the whole library into the bundle beside these modules.
 */
// DataZoom: the slider of a chart with more categories than fit (cartesian-option.ts).
const CARTESIAN_BAR = [BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent]
const CARTESIAN_LINE = [LineChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent]

export const CHART_MODULES: Record<ChartWidgetType, readonly EChartsExtension[]> = {
  bar: CARTESIAN_BAR,
  stacked_bar: CARTESIAN_BAR,
  line: CARTESIAN_LINE,
  area: CARTESIAN_LINE,
  pie: [PieChart, TooltipComponent, LegendComponent],
  donut: [PieChart, TooltipComponent, LegendComponent],
  funnel: [FunnelChart, TooltipComponent, LegendComponent],
  gauge: [GaugeChart],
}

/** SVG keeps text crisp, suits a few small charts, and also renders on the server (tests). */
const RENDERER = SVGRenderer

const registered = new Set<ChartWidgetType>()

export function registerChartModules(type: ChartWidgetType): void {
  if (registered.has(type)) return
  use([...CHART_MODULES[type], RENDERER])
  registered.add(type)
}

/**
 * Creates a chart instance with the modules of `type` registered. Pass a
 * null element with `{ ssr: true, width, height }` to render in Node.
 */
export function createChart(
  type: ChartWidgetType,
  element: HTMLElement | null,
  options: EChartsInitOpts = {},
): EChartsType {
  registerChartModules(type)
  return init(element, null, { ...options, renderer: 'svg' })
}
