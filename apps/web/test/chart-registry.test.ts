import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { EChartsCoreOption } from 'echarts/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { categoryAxisLabel } from '../src/charts/cartesian-option.js'
import { buildChartOption, hasNothingToSlice } from '../src/charts/chart-option.js'
import { CHART_TYPES, WIDGET_TYPES, isChartType } from '../src/charts/chart-types.js'
import { CHART_MODULES, createChart } from '../src/charts/registry.js'
import { AGING_RESULT, REGION_AGING, chartInput, manyInput } from './chart-fixtures.js'

const run = promisify(execFile)
const webRoot = fileURLToPath(new URL('..', import.meta.url))

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

/** What echarts said on console.error / console.warn while a test ran. */
let complaints: string[] = []

beforeEach(() => {
  complaints = []
  for (const level of ['error', 'warn'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      complaints.push(args.map(String).join(' '))
    })
  }
})

afterEach(() => {
  vi.restoreAllMocks()
})

function renderSvg(type: (typeof CHART_TYPES)[number], option: EChartsCoreOption): string {
  const chart = createChart(type, null, { ssr: true, width: 480, height: 320 })
  try {
    chart.setOption(option)
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

function renderAt(type: (typeof CHART_TYPES)[number], option: EChartsCoreOption, width: number): string {
  const chart = createChart(type, null, { ssr: true, width, height: 320 })
  try {
    chart.setOption(option)
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

describe('chart registry', () => {
  it.each(['pie', 'donut'] as const)('names a narrow %s\'s slices with their shares in the legend instead of cut labels', (type) => {
    const option = buildChartOption(chartInput(type)) as EChartsCoreOption
    const narrow = renderAt(type, option, 360)
    expect(narrow).toContain('90天以上 100.00%')
    expect(narrow).toContain('未到期 0.00%')
    // Wide enough, the slices carry their labels and the legend their names only.
    const wide = renderAt(type, option, 640)
    expect(wide).not.toContain('90天以上 100.00%')
    expect(wide).toContain('>90天以上<')
  })

  it('lists modules for exactly the chart widget types', () => {
    const charted = WIDGET_TYPES.filter(isChartType)

    expect(Object.keys(CHART_MODULES).sort()).toEqual([...charted].sort())
    expect(WIDGET_TYPES.filter((type) => !isChartType(type))).toEqual(['kpi', 'table', 'pivot'])
  })

  it.each(CHART_TYPES)('draws a %s chart with every module it uses imported', (type) => {
    const svg = renderSvg(type, buildChartOption(chartInput(type)))

    expect(complaints).toEqual([])
    // A gauge shows the first row's figure; every other chart names each category.
    const expected = type === 'gauge'
      ? ['1,234,567.89']
      : AGING_RESULT.rows.map((row) => String(row.bucket))
    for (const text of expected) expect(svg).toContain(text)
  })

  it('sets a gauge\'s figure and name below its pivot, where the needle never points', () => {
    const svg = renderSvg('gauge', buildChartOption(chartInput('gauge')))
    // The pivot is the dial's centre (54 % of 320 px down); the figure and name are drawn lower.
    const at = (text: string) => {
      const tag = svg.split('<text').find((one) => one.includes(`>${text}<`))
      const move = tag?.match(/translate\(([\d.]+) ([\d.]+)\)/) ?? tag?.match(/ y="([\d.]+)"/)
      return Number(move?.[2] ?? move?.[1])
    }
    const pivot = 320 * 0.54
    expect(at('1,234,567.89')).toBeGreaterThan(pivot + 40)
    expect(at('未结金额')).toBeGreaterThan(at('1,234,567.89'))
  })

  it('labels only the slices wide enough for a label when a pie has many', () => {
    const many = buildChartOption(manyInput('pie')) as { series: Array<{ minShowLabelAngle: number }> }
    expect(many.series[0].minShowLabelAngle).toBeGreaterThan(0)
    const few = buildChartOption(chartInput('pie')) as { series: Array<{ minShowLabelAngle: number }> }
    expect(few.series[0].minShowLabelAngle).toBe(0)
    renderSvg('pie', many as EChartsCoreOption)
    expect(complaints).toEqual([])
  })

  it('leaves a small gauge\'s scale unnumbered, and draws no needle without a figure', () => {
    const option = buildChartOption(chartInput('gauge')) as EChartsCoreOption
    expect(renderAt('gauge', option, 480)).toContain('>50</text>')
    const small = renderAt('gauge', option, 260)
    expect(small).not.toContain('>50</text>')
    expect(small).toContain('1,234,567.89')

    const input = chartInput('gauge')
    const empty = renderSvg('gauge', buildChartOption({ ...input, result: { ...input.result, rows: [{}] } }))
    expect(empty).toContain('>—</text>')
    // The needle is the one path drawn rotated about the pivot.
    expect(empty).not.toMatch(/<path d="M0 [\d.-]+L-?[\d.]+ 0L0 -/)
    expect(renderSvg('gauge', option)).toMatch(/<path d="M0 [\d.-]+L-?[\d.]+ 0L0 -/)
  })

  it('stacks one series per value of a second dimension', () => {
    const option = buildChartOption({ ...chartInput('stacked_bar', ['open']), result: REGION_AGING,
      dimension: REGION_AGING.columns[0], series: REGION_AGING.columns[1] })
    const series = option.series as Array<{ id: string; stack: string; data: Array<number | null> }>

    expect(series.map((one) => [one.id, one.stack, one.data])).toEqual([
      ['bucket:"未到期"', 'total', [100.5, null]],
      ['bucket:"1-30天"', 'total', [20, 7.25]],
    ])
    renderSvg('stacked_bar', option)
    expect(complaints).toEqual([])
  })

  it('shows a chart of many categories a slice at a time, with a slider to move along', () => {
    const option = buildChartOption(manyInput('bar')) as { dataZoom?: Array<{ type: string; startValue: number; endValue: number }> }
    expect(option.dataZoom?.map((zoom) => zoom.type)).toEqual(['slider', 'inside'])
    // Fifteen whole categories, the first to the fifteenth.
    expect(option.dataZoom?.map((zoom) => [zoom.startValue, zoom.endValue])).toEqual([[0, 14], [0, 14]])
    const svg = renderSvg('bar', option)
    expect(complaints).toEqual([])
    expect(svg).toContain('客户01')
    expect(svg).not.toContain('客户16')
    // A few categories need no slider.
    expect((buildChartOption(chartInput('bar')) as { dataZoom?: unknown }).dataZoom).toEqual([])
  })

  it('slants and shortens long category names so that more of them show, and leaves short ones level', () => {
    expect(categoryAxisLabel(['未到期', '1–30天', '31–60天', '61–90天', '90天以上'])).toEqual({ hideOverlap: true })
    const customers = ['上海华信新材料股份有限公司', '北京东方软件有限公司', '杭州汇海新材料股份有限公司', '成都恒通新材料有限公司', '西安嘉禾能源技术股份有限公司']
    expect(categoryAxisLabel(customers)).toMatchObject({ interval: 0, rotate: 30, overflow: 'truncate' })
    // Drawn: the first names are there, cut short.
    const option = buildChartOption(manyInput('bar')) as { xAxis: { axisLabel: unknown } }
    const svg = renderSvg('bar', option)
    expect(complaints).toEqual([])
    expect(svg).toContain('客户01')
  })

  it('drops the slider when a chart drawn with many categories is drawn again with few', () => {
    const chart = createChart('bar', null, { ssr: true, width: 480, height: 320 })
    try {
      // As the chart view sets each new option (a grain changed from days to months).
      chart.setOption(buildChartOption(manyInput('bar')), { replaceMerge: ['series', 'dataZoom'] })
      expect((chart.getOption() as { dataZoom: unknown[] }).dataZoom).toHaveLength(2)
      chart.setOption(buildChartOption(chartInput('bar')), { replaceMerge: ['series', 'dataZoom'] })
      expect((chart.getOption() as { dataZoom?: unknown[] }).dataZoom ?? []).toHaveLength(0)
    } finally {
      chart.dispose()
    }
  })

  it('finds nothing to slice when every value is zero, so a pie is not drawn as equal parts', () => {
    const zeros = { ...AGING_RESULT, rows: AGING_RESULT.rows.map((row) => ({ ...row, open: '0.00' })) }
    expect(hasNothingToSlice({ ...chartInput('pie', ['open']), result: zeros })).toBe(true)
    expect(hasNothingToSlice(chartInput('pie', ['open']))).toBe(false)
  })

  it('catches a series whose module was never registered', () => {
    // The control for the case above: echarts in development mode names the
    // missing series; in production it would only leave it undrawn.
    const option = { ...buildChartOption(chartInput('bar')), series: [{ type: 'scatter' }] }

    renderSvg('bar', option)

    expect(complaints.join('\n')).toMatch(/scatter is used but not imported/i)
  })

  it('drops a series that disappeared when the option is replaced', () => {
    const chart = createChart('bar', null, { ssr: true, width: 480, height: 320 })
    chart.setOption(buildChartOption(chartInput('bar', ['open', 'overdue'])))

    chart.setOption(buildChartOption(chartInput('bar', ['open'])), { replaceMerge: ['series'] })
    const series = chart.getOption().series as Array<{ id: string }>
    chart.dispose()

    expect(series.map((one) => one.id)).toEqual(['open'])
    expect(complaints).toEqual([])
  })

  it('is reached only through echarts/core, /charts, /components and /renderers', () => {
    // One `import … from 'echarts'` would pull the whole library into the
    // bundle beside the modular build (LIBRARY-NOTES §1.6); we have no linter.
    const bare = /(?:from\s*|import\s*\(\s*|import\s+)['"]echarts['"]/
    const offenders = sourceFiles(join(webRoot, 'src')).filter((file) =>
      bare.test(readFileSync(file, 'utf8')),
    )

    expect(offenders).toEqual([])
    expect(bare.test("import * as echarts from 'echarts'")).toBe(true)
    expect(bare.test("import { init } from 'echarts/core'")).toBe(false)
  })

  it.each(CHART_TYPES)('draws a %s chart alone in a fresh process', async (type) => {
    // Registration is global to a process: in the tests above, one type may
    // borrow a module another type registered. A dashboard with only pies
    // registers only the pie list, so each list must suffice on its own.
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'test/render-chart-alone.ts', type],
      { cwd: webRoot, timeout: 50_000 },
    )

    expect(JSON.parse(stdout)).toEqual({ type, complaints: [] })
  })
})
