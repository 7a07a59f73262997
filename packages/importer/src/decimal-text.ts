/**
 * A number as typed in a cell, with its digit grouping taken out:
 * "1,234.50", "1 234.50" and "1，234.50" are 1234.50. A separator counts
 * only between groups of three digits before the point, the same one
 * throughout (a comma or a space, not both): "12,50" (a decimal comma) or "1,5" is no grouping, and is
 * refused rather than read as 1250 or 15. Returns undefined for text that
 * is not a plain or so grouped number; the caller still checks the result
 * is a decimal it can store.
 */
export function ungroupedNumber(cell: string): string | undefined {
  // A full-width comma is a comma: Chinese input gives either.
  const text = cell.trim().replace(/，/g, ',')
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return text
  const grouped = GROUPED.exec(text)
  if (!grouped) return undefined
  const [, sign, head, groups, fraction] = grouped
  const separator = groups[0]
  if ([...groups].some((ch, i) => i % 4 === 0 && ch !== separator)) return undefined
  return `${sign}${head}${groups.replace(SEPARATORS, '')}${fraction ?? ''}`
}

// Comma, full-width comma, space, no-break space, thin and narrow no-break space.
const SEPARATORS = /[,，\u0020\u00a0\u2009\u202f]/g
const GROUPED = /^([+-]?)(\d{1,3})((?:[,，\u0020\u00a0\u2009\u202f]\d{3})+)(\.\d+)?$/
