import { Dec, isDecimalString, localize, type Locale, type LocalizedText } from '@tessera/core'

interface Column {
  key: string
  label: LocalizedText
  type?: string
  /** A fraction shown as a percentage (a rate, a change rate). */
  ratio?: boolean
  role?: string
  /** A change of a rate, shown in percentage points. */
  points?: boolean
}

/** Display width: CJK and full-width characters take two columns. */
function width(text: string): number {
  let n = 0
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1
  return n
}

function pad(text: string, size: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)))
  return right ? fill + text : text + fill
}

/** Money as text with thousands separators, straight from the decimal string. */
export function groupDigits(value: string): string {
  const [whole, fraction] = value.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return fraction === undefined ? grouped : `${grouped}.${fraction}`
}

/** A plain-text table for people reading a terminal. */
export function formatTable(columns: Column[], rows: Record<string, unknown>[], locale: Locale): string {
  const numeric = (c: Column) => c.type === 'money' || c.type === 'number' || c.type === 'integer'
  const cell = (c: Column, value: unknown) => {
    if (value === null || value === undefined) return '—'
    const text = String(value)
    // Rates travel as fractions (0.1632); people read 16.32 % and, for a
    // rate's change, 2.27 percentage points.
    if (isDecimalString(text) && (c.points || c.ratio || c.role === 'change_rate')) {
      const hundredths = new Dec(text).times(100).toFixed(2)
      if (c.points) return locale === 'en' ? `${hundredths} pp` : `${hundredths} 个百分点`
      return `${hundredths} %`
    }
    return c.type === 'money' ? groupDigits(text) : text
  }
  const header = columns.map((c) => localize(c.label, locale))
  const body = rows.map((r) => columns.map((c) => cell(c, r[c.key])))
  const sizes = columns.map((_, i) => Math.max(width(header[i]), ...body.map((b) => width(b[i]))))
  const line = (cells: string[]) => cells.map((t, i) => pad(t, sizes[i], numeric(columns[i]))).join('  ')
  return [line(header), sizes.map((s) => '-'.repeat(s)).join('  '), ...body.map(line)].join('\n')
}
