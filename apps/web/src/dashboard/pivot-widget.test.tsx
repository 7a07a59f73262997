import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ReportResult } from '../api/types.js'
import { renderMarkup } from '../testing/render-markup.js'
import { pivotSheet } from './pivot-sheet.js'
import { PivotWidget } from './pivot-widget.js'
import { xlsxWorkbook } from './xlsx-file.js'

const RESULT: ReportResult = {
  columns: [
    { key: 'customer', label: '客户', kind: 'dimension', type: 'text' },
    { key: 'bucket', label: '账龄', kind: 'dimension', type: 'text', buckets: ['未到期', '1–30天'] },
    { key: 'open', label: '未收金额', kind: 'measure', type: 'money', scale: 2 },
  ],
  rows: [],
  params: {},
  pivot: {
    rowDimensions: ['customer'],
    columnDimensions: ['bucket'],
    headers: [{ bucket: '未到期', bucket__index: 0 }, { bucket: '1–30天', bucket__index: 1 }],
    rows: [
      { key: { customer: '甲' }, cells: [{ open: '10.00' }, null], total: { open: '10.00' } },
      { key: { customer: '乙' }, cells: [{ open: '1.00' }, { open: '2.50' }], total: { open: '3.50' } },
    ],
    totals: { cells: [{ open: '11.00' }, { open: '2.50' }], total: { open: '13.50' } },
  },
}

describe('PivotWidget', () => {
  it('drills from every figure: cells, a row\'s total, a column\'s total and the grand total', () => {
    const html = renderMarkup(<PivotWidget result={RESULT} report="aging" onPick={() => {}} />)
    const picks = [...html.matchAll(/data-pick="([^"]*)"/g)].map((match) => JSON.parse(match[1].replace(/&quot;/g, '"')))
    expect(picks).toEqual([
      { customer: '甲', bucket: '未到期', bucket__index: 0 },
      { customer: '甲' },
      { customer: '乙', bucket: '未到期', bucket__index: 0 },
      { customer: '乙', bucket: '1–30天', bucket__index: 1 },
      { customer: '乙' },
      { bucket: '未到期', bucket__index: 0 },
      { bucket: '1–30天', bucket__index: 1 },
      {},
    ])
    // Without a drill nothing is clickable.
    expect(renderMarkup(<PivotWidget result={RESULT} report="aging" />)).not.toContain('data-pick')
  })

  it('says in its totals row how many rows the totals count but the pivot does not list', () => {
    const html = renderMarkup(<PivotWidget result={{ ...RESULT, pivot: { ...RESULT.pivot!, omitted: 3 } }} report="aging" />)
    expect(html).toContain('合计（含未列出的 3 行）')
    expect(renderMarkup(<PivotWidget result={RESULT} report="aging" />)).not.toContain('未列出')
  })

  it('exports the pivot as laid out: row labels, a column per header, row totals and a totals row', () => {
    const measure = RESULT.columns[2]
    const { columns, rows, totals } = pivotSheet(RESULT.pivot!, RESULT.columns, measure, 'zh-CN', '合计')
    expect(columns.map((column) => [column.label, column.type])).toEqual([
      ['客户', 'text'], ['未到期', 'money'], ['1–30天', 'money'], ['合计', 'money'],
    ])
    expect(rows).toEqual([
      { row: '甲', c0: '10.00', c1: null, total: '10.00' },
      { row: '乙', c0: '1.00', c1: '2.50', total: '3.50' },
    ])
    expect(totals).toEqual({ label: '合计', values: { row: '合计', c0: '11.00', c1: '2.50', total: '13.50' } })
    // As cells: exact money figures in money format, the empty cell left out; the totals row in bold.
    const sheet = unzipSheet(xlsxWorkbook('账龄', columns, rows, 'zh-CN', { totals }))
    expect(sheet).toContain('<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">甲</t></is></c>' +
      '<c r="B2" s="1"><v>10.00</v></c><c r="D2" s="1"><v>10.00</v></c></row>')
    expect(sheet).toContain('<c r="A4" s="4" t="inlineStr"><is><t xml:space="preserve">合计</t></is></c><c r="B4" s="6"><v>11.00</v></c>')
    expect(sheet).toContain('<c r="D4" s="6"><v>13.50</v></c>')
  })

  it('shows the same headers on screen as in the file, an empty value as —', () => {
    const result: ReportResult = {
      ...RESULT,
      pivot: { ...RESULT.pivot!, rows: [{ key: { customer: null }, cells: [null, { open: '1.00' }], total: { open: '1.00' } }] },
    }
    const html = renderMarkup(<PivotWidget result={result} report="aging" />)
    const { rows } = pivotSheet(result.pivot!, result.columns, result.columns[2], 'zh-CN', '合计')
    expect(rows[0].row).toBe('—')
    expect(html).toContain('<th scope="row">—</th>')
  })
})

function unzipSheet(bytes: Uint8Array): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tessera-pivot-')), 'pivot.xlsx')
  writeFileSync(file, bytes)
  return execFileSync('unzip', ['-p', '-q', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' })
}
