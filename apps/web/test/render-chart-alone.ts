/**
 * Renders one chart type in a process of its own and prints what echarts
 * complained about, as JSON. echarts keeps registered modules for the life
 * of the process, so only a fresh process shows whether one type's module
 * list is enough by itself. Run: node --import tsx test/render-chart-alone.ts pie
 */
import { buildChartOption } from '../src/charts/chart-option.js'
import { isChartType } from '../src/charts/chart-types.js'
import { createChart } from '../src/charts/registry.js'
import { chartInput, manyInput } from './chart-fixtures.js'

const type = process.argv[2] ?? ''
const complaints: string[] = []
for (const level of ['error', 'warn'] as const) {
  console[level] = (...args: unknown[]) => complaints.push(args.map(String).join(' '))
}

if (!isChartType(type)) {
  complaints.push(`not a chart type: ${type}`)
} else {
  const chart = createChart(type, null, { ssr: true, width: 480, height: 320 })
  // Also over many categories, which adds the slider (dataZoom) to cartesian charts.
  for (const input of [chartInput(type), manyInput(type)]) {
    chart.setOption(buildChartOption(input), { notMerge: true })
    chart.renderToSVGString()
  }
  chart.dispose()
}
process.stdout.write(JSON.stringify({ type, complaints }))
