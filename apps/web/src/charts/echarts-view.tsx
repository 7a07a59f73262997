import type { Locale } from '@tessera/core'
import type { EChartsType } from 'echarts/core'
import { useEffect, useRef } from 'react'
import type { ChartOption } from './chart-option.js'
import type { ChartWidgetType } from './chart-types.js'
import { createChart } from './registry.js'

export interface EChartsViewProps {
  type: ChartWidgetType
  option: ChartOption
  locale: Locale
  /** Read by screen readers in place of the drawing. */
  label: string
  /** A click on a bar, point or slice: its index in the data and its series. */
  onPick?(dataIndex: number, seriesIndex: number): void
}

/**
 * One echarts instance bound to a div. Loaded with React.lazy, so echarts
 * stays out of the first bundle. The instance is disposed in the effect
 * cleanup: React 19 StrictMode mounts effects twice, and a second init on
 * the same div would otherwise find the first instance still there.
 */
export default function EChartsView(props: EChartsViewProps) {
  const { type, option, locale, label, onPick } = props
  const holder = useRef<HTMLDivElement>(null)
  const chart = useRef<EChartsType | null>(null)
  const pick = useRef(onPick)
  pick.current = onPick

  useEffect(() => {
    const element = holder.current
    if (!element) return
    const instance = createChart(type, element, { locale: locale === 'en' ? 'EN' : 'ZH' })
    chart.current = instance
    let picked = false
    instance.on('click', (params) => {
      const { dataIndex, seriesIndex } = params as { dataIndex?: number; seriesIndex?: number }
      if (typeof dataIndex !== 'number') return
      picked = true
      pick.current?.(dataIndex, seriesIndex ?? 0)
    })
    if (type === 'line' || type === 'area') {
      // A line's points are small: a tap anywhere above or below one (within the plot) picks the
      // category nearest to it, when the chart draws one series (with more, which is meant is unclear).
      instance.getZr().on('click', (event) => {
        const hit = picked
        picked = false
        if (hit || !pick.current) return
        const point = [event.offsetX, event.offsetY]
        const series = instance.getOption().series as unknown[] | undefined
        if (series?.length !== 1 || !instance.containPixel('grid', point)) return
        const [index] = instance.convertFromPixel({ seriesIndex: 0 }, point) as number[]
        if (typeof index === 'number' && Number.isFinite(index) && index >= 0) pick.current(Math.round(index), 0)
      })
    }
    // "drawn" once the chart and its animation have finished: the image export waits for it.
    instance.on('finished', () => {
      element.dataset.chartState = 'drawn'
    })

    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(element)
    return () => {
      observer.disconnect()
      chart.current = null
      instance.dispose()
    }
  }, [type, locale])

  useEffect(() => {
    // Series have stable ids, so replacing them removes those that are gone;
    // the zoom is replaced too (an empty list removes a slider no longer needed).
    if (!chart.current) return
    if (holder.current) holder.current.dataset.chartState = 'drawing'
    chart.current.setOption(option, { replaceMerge: ['series', 'dataZoom'] })
  }, [option, type, locale])

  return (
    <div
      ref={holder}
      className="chart-canvas"
      role="img"
      aria-label={label}
      data-clickable={onPick ? 'true' : undefined}
      data-chart-state="drawing"
    />
  )
}
