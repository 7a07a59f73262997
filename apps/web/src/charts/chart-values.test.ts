import { describe, expect, it } from 'vitest'
import type { ReportColumn } from '../api/types.js'
import { categoryLabel, valueText } from './chart-values.js'

describe('labels of a select field\'s codes', () => {
  const delivery: ReportColumn = {
    key: 'delivery', label: '送达方式', kind: 'dimension', type: 'text', choices: { electronic: '电子', paper: '纸质' },
  }
  it('shows the option label for a stored code, the code itself when the option is gone', () => {
    expect(categoryLabel('electronic', delivery)).toBe('电子')
    expect(valueText('paper', delivery)).toBe('纸质')
    expect(categoryLabel('fax', delivery)).toBe('fax')
    expect(categoryLabel(null, delivery)).toBe('—')
    // Object's own keys only: a code such as "constructor" is no option.
    expect(categoryLabel('constructor', delivery)).toBe('constructor')
  })
})
