import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ReportColumn } from '../api/types.js'
import { columnName, excelSerial, sheetName, xlsxWorkbook } from './xlsx-file.js'
import { crc32 } from './zip-store.js'

const COLUMNS: ReportColumn[] = [
  { key: 'customer', label: { 'zh-CN': '客户', en: 'Customer' }, kind: 'dimension', type: 'text' },
  { key: 'open', label: { 'zh-CN': '未收金额', en: 'Open' }, kind: 'measure', type: 'money' },
  { key: 'invoices', label: '发票数', kind: 'measure', type: 'integer' },
]

function unzip(bytes: Uint8Array, ...args: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tessera-xlsx-')), 'data.xlsx')
  writeFileSync(file, bytes)
  return execFileSync('unzip', [...args, file], { encoding: 'utf8' })
}

describe('xlsxWorkbook', () => {
  it('writes a zip that unzip accepts, every CRC right', () => {
    const bytes = xlsxWorkbook('账龄', COLUMNS, [{ customer: '甲公司', open: '1.10', invoices: 2 }], 'zh-CN')
    const report = unzip(bytes, '-t')

    expect(report).toContain('No errors detected')
    for (const part of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/styles.xml']) {
      expect(report).toContain(part)
    }
  })

  it('keeps money exact as numeric cells, texts escaped as inline strings', () => {
    const rows = [
      { customer: '<甲> & "乙"', open: '9007199254740993.01', invoices: 3 },
      { customer: null, open: '-0.10', invoices: 0 },
    ]
    const sheet = unzip(xlsxWorkbook('x', COLUMNS, rows, 'en'), '-p', '-q').toString()

    expect(sheet).toContain('<c r="A1" s="4" t="inlineStr"><is><t xml:space="preserve">Customer</t></is></c>')
    expect(sheet).toContain('<t xml:space="preserve">&lt;甲&gt; &amp; &quot;乙&quot;</t>')
    expect(sheet).toContain('<c r="B2" s="1"><v>9007199254740993.01</v></c>')
    expect(sheet).toContain('<row r="3"><c r="B3" s="1"><v>-0.10</v></c><c r="C3" s="2"><v>0</v></c></row>')
  })

  it('ends with a bold totals row when given one, money and counts keeping their formats', () => {
    const rows = [
      { customer: '甲公司', open: '1.10', invoices: 2 },
      { customer: '乙公司', open: '2.25', invoices: 1 },
    ]
    const sheet = unzip(xlsxWorkbook('x', COLUMNS, rows, 'zh-CN', {
      totals: { label: '合计', values: { open: '3.35', invoices: 3 } },
    }), '-p', '-q').toString()

    expect(sheet).toContain('<row r="4"><c r="A4" s="4" t="inlineStr"><is><t xml:space="preserve">合计</t></is></c>' +
      '<c r="B4" s="6"><v>3.35</v></c><c r="C4" s="7"><v>3</v></c></row></sheetData>')
    // Styles 6 and 7: money and counts in the bold font.
    expect(sheet).toContain('<xf numFmtId="4" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>' +
      '<xf numFmtId="3" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>')
  })

  it('writes dates as date cells Excel sorts and filters, formatted yyyy-mm-dd', () => {
    const columns: ReportColumn[] = [
      { key: 'date', label: '日期', kind: 'dimension', type: 'date' },
      { key: 'month', label: '月份', kind: 'dimension', type: 'date', grain: 'month' },
    ]
    const sheet = unzip(xlsxWorkbook('x', columns, [
      { date: '2026-06-30', month: '2026-06' },
      { date: '1900-01-15', month: null },
    ], 'zh-CN'), '-p', '-q').toString()
    expect(sheet).toContain('<c r="A2" s="8"><v>46203</v></c>')
    // A month is a label, not a day; a date before March 1900 (Excel's phantom leap day) stays text.
    expect(sheet).toContain('<c r="B2" t="inlineStr"><is><t xml:space="preserve">2026-06</t></is></c>')
    expect(sheet).toContain('<c r="A3" t="inlineStr"><is><t xml:space="preserve">1900-01-15</t></is></c>')
    expect(sheet).toContain('<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>')
    expect([excelSerial('1900-03-01'), excelSerial('2026-02-30'), excelSerial('9999-12-31'), excelSerial('2026-6-1')])
      .toEqual([61, undefined, 2958465, undefined])
  })

  it('names columns and sheets as Excel wants them', () => {
    expect([0, 25, 26, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA'])
    expect(sheetName('a/b:c*[d]?')).toBe('a b c  d')
    expect(sheetName('')).toBe('Sheet1')
    expect(sheetName("a/b:c?[x]*'说明'")).toBe("a b c  x  '说明")
    expect(sheetName("'''")).toBe('Sheet1')
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
  })

  it('shows figures as the screen does: money and counts with separators, rates as percentages', () => {
    const columns: ReportColumn[] = [
      ...COLUMNS,
      { key: 'rate', label: '回款率', kind: 'measure', type: 'number', scale: 4 },
      { key: 'rate__change_rate', label: '回款率（变动率）', kind: 'measure', type: 'number', scale: 4, role: 'change_rate', of: 'rate' },
    ]
    const row = { customer: '甲', open: '1234.5', invoices: 1200, rate: '0.4885', rate__change_rate: '-0.1000' }
    const plain = unzip(xlsxWorkbook('x', columns, [row], 'zh-CN'), '-p', '-q')
    expect(plain).toContain('<c r="D2"><v>0.4885</v></c>')
    expect(plain).toContain('<c r="E2" s="3"><v>-0.1000</v></c>')
    // A widget in percent names the measures it shows so; the others keep their formats.
    const percent = unzip(xlsxWorkbook('x', columns, [row], 'zh-CN', { percent: ['rate'] }), '-p', '-q')
    expect(percent).toContain('<c r="B2" s="1"><v>1234.5</v></c>')
    expect(percent).toContain('<c r="C2" s="2"><v>1200</v></c>')
    expect(percent).toContain('<c r="D2" s="3"><v>0.4885</v></c>')
    // A ratio measure is a percentage wherever it is exported.
    const ratio = unzip(xlsxWorkbook('x', [{ ...columns[3], ratio: true }], [row], 'zh-CN'), '-p', '-q')
    expect(ratio).toContain('<c r="A2" s="3"><v>0.4885</v></c>')
    // A rate's change is written as points under a "0.00 pp" format (2.27, not 0.0227 as a percentage).
    const points = unzip(xlsxWorkbook('x', [{ key: 'rate__change', label: '回款率（变动）', kind: 'measure', type: 'number', scale: 4, role: 'change', of: 'rate', points: true }],
      [{ rate__change: '0.0227' }], 'zh-CN'), '-p', '-q')
    expect(points).toContain('<c r="A2" s="5"><v>2.27</v></c>')
    const styles = unzip(xlsxWorkbook('x', columns, [row], 'zh-CN'), '-p', '-q')
    expect(styles).toContain('<cellXfs count="9">')
    expect(styles).toContain('<numFmt numFmtId="164" formatCode="0.00&quot; pp&quot;"/>')
    expect(styles.match(/<xf numFmtId="(\d+)"[^>]*xfId="0"/g)?.map((xf) => xf.match(/numFmtId="(\d+)"/)?.[1]))
      .toEqual(['0', '4', '3', '10', '0', '164', '4', '3', '165'])
  })

  it('writes a select field\'s label for its stored code', () => {
    const columns: ReportColumn[] = [
      { key: 'disputed', label: '有争议', kind: 'dimension', type: 'text', choices: { yes: '是', no: '否' } },
      { key: 'n', label: '数', kind: 'measure', type: 'integer' },
    ]
    const sheet = unzip(xlsxWorkbook('x', columns, [{ disputed: 'no', n: 1 }, { disputed: 'maybe', n: 2 }], 'zh-CN'), '-p', '-q')
    expect(sheet).toContain('<c r="A2" t="inlineStr"><is><t xml:space="preserve">否</t></is></c>')
    expect(sheet).toContain('<c r="A3" t="inlineStr"><is><t xml:space="preserve">maybe</t></is></c>')
  })

  it('says on a second sheet what the figures are of, when told', () => {
    const about = { sheet: '说明', lines: [['组件', '账龄分布'], ['截止日期', '2026-06-30'], ['区域', '华东、<华南>']] as const }
    const bytes = xlsxWorkbook('账龄分布', COLUMNS, [{ customer: '甲公司', open: '1.10', invoices: 2 }], 'zh-CN', { about })
    expect(unzip(bytes, '-t')).toContain('No errors detected')
    const book = unzip(bytes, '-p', '-q').toString()
    expect(book).toContain('<sheet name="账龄分布" sheetId="1" r:id="rId1"/><sheet name="说明" sheetId="2" r:id="rId2"/>')
    expect(book).toContain('Target="worksheets/sheet2.xml"')
    expect(book).toContain('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    expect(book).toContain('<Override PartName="/xl/worksheets/sheet2.xml"')
    const second = unzip(bytes, '-p', '-q').toString().split('<worksheet').pop() ?? ''
    expect(second).toContain('<t xml:space="preserve">截止日期</t>')
    expect(second).toContain('<t xml:space="preserve">2026-06-30</t>')
    expect(second).toContain('华东、&lt;华南&gt;')
    // A report titled like the sheet keeps its data sheet's name; sheet names must differ.
    const clash = unzip(xlsxWorkbook('说明', COLUMNS, [], 'zh-CN', { about }), '-p', '-q').toString()
    expect(clash).toContain('<sheet name="说明" sheetId="1" r:id="rId1"/><sheet name="说明 (2)" sheetId="2" r:id="rId2"/>')
    // Without it, one sheet as before.
    expect(unzip(xlsxWorkbook('x', COLUMNS, [], 'en'), '-p', '-q').toString()).not.toContain('sheet2')
  })
})
