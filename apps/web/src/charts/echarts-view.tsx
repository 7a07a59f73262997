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
}

/**
 * One echarts instance bound to a div. Loaded with React.lazy, so echarts
 * stays out of the first bundle. The instance is disposed in the effect
 * cleanup: React 19 StrictMode mounts effects twice, and a second init on
 * the same div would otherwise find the first instance still there.
 */
export default function EChartsView({ type, option, locale, label }: EChartsViewProps) {
  const holder = useRef<HTMLDivElement>(null)
  const chart = useRef<EChartsType | null>(null)

  useEffect(() => {
    const element = holder.current
    if (!element) return
    const instance = createChart(type, element, { locale: locale === 'en' ? 'EN' : 'ZH' })
    chart.current = instance

    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(element)
    return () => {
      observer.disconnect()
      chart.current = null
      instance.dispose()
    }
  }, [type, locale])

  useEffect(() => {
    // Series have stable ids, so replacing them removes those that are gone.
    chart.current?.setOption(option, { replaceMerge: ['series'] })
  }, [option, type, locale])

  return <div ref={holder} className="chart-canvas" role="img" aria-label={label} />
}
