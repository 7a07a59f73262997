/** A label and a value, one line of an export's 说明 sheet. */
export type AboutLine = readonly [string, string]

/**
 * What an exported sheet's figures are of: what was exported, each param
 * the run took (a period as "from – to"), the filters set, the drill path,
 * what the reader may not see of it (forms and fields, see
 * unreadable-note.tsx), and when. Params the run did not take are left
 * out: they did not shape the figures.
 *
 * @example
 * aboutLines({ subject: ['组件', '账龄分布'], params: { asOf: '2026-06-30' },
 *   label: () => '截止日期', filters: [['区域', '华东']], at: '2026-12-05 10:00' })
 * // → [['组件', '账龄分布'], ['截止日期', '2026-06-30'], ['区域', '华东'], ['导出时间', …]]
 */
export function aboutLines(input: {
  subject: AboutLine
  params?: Readonly<Record<string, unknown>>
  label(param: string): string
  filters?: readonly AboutLine[]
  drilled?: AboutLine
  /** What the figures leave out for the reader: forms they may not read, fields hidden from them. */
  leftOut?: readonly AboutLine[]
  at: AboutLine
}): AboutLine[] {
  const params = Object.entries(input.params ?? {}).flatMap(([key, value]): AboutLine[] => {
    const shown = paramText(value)
    return shown === undefined ? [] : [[input.label(key), shown]]
  })
  return [input.subject, ...params, ...(input.filters ?? []), ...(input.drilled ? [input.drilled] : []),
    ...(input.leftOut ?? []), input.at]
}

function paramText(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined
  if (typeof value === 'object' && 'from' in value && 'to' in value) return `${String(value.from)} – ${String(value.to)}`
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
