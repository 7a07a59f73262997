/**
 * The params of the report a row opens: each from the row's dimension
 * value, the page's param, or a fixed text; undefined when the click does
 * not name a dimension it needs (a pivot's total), which then opens the
 * records as any other click.
 */
export function drillParams(
  wanted: Record<string, { dimension: string } | { param: string } | string>,
  clicked: Record<string, unknown>,
  page: Record<string, string>,
): Record<string, string> | undefined {
  const opened: Record<string, string> = {}
  for (const [key, from] of Object.entries(wanted)) {
    const value = typeof from === 'string' ? from : 'dimension' in from ? clicked[from.dimension] : page[from.param]
    if (value === undefined || value === null) return undefined
    opened[key] = String(value)
  }
  return opened
}
