import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'

/**
 * A deterministic demo ledger for this template: customers with Chinese
 * names, regions and salespeople; contracts; invoices; receipts that pay
 * some invoices in full, some in part, some late and some not at all. The
 * same options always give the same files. Nothing dated after `end` is
 * written: those payments have not happened yet.
 *
 * It writes one CSV per import mapping of the template (demo_customers,
 * demo_invoices, demo_receipts, demo_allocations), in the order they must be
 * imported, and returns their paths.
 */
export interface LedgerOptions {
  outDir: string
  /** Number of invoices, 1 to 1,000,000. */
  size: number
  /** The last calendar day of the ledger, "YYYY-MM-DD". */
  end: string
  seed?: number
}

export interface LedgerFiles {
  files: { mapping: string; path: string; rows: number }[]
}

const CITIES = ['上海', '北京', '深圳', '广州', '杭州', '南京', '苏州', '成都', '武汉', '西安', '天津', '重庆', '青岛', '宁波', '合肥', '长沙', '郑州', '沈阳', '厦门', '无锡']
const REGION_OF: Record<string, string> = {
  上海: '华东', 杭州: '华东', 南京: '华东', 苏州: '华东', 宁波: '华东', 合肥: '华东', 无锡: '华东', 青岛: '华东', 厦门: '华东',
  北京: '华北', 天津: '华北', 深圳: '华南', 广州: '华南', 成都: '西南', 重庆: '西南',
  武汉: '华中', 长沙: '华中', 郑州: '华中', 西安: '西北', 沈阳: '东北',
}
const WORDS = ['恒通', '华信', '宏达', '瑞丰', '中联', '鑫源', '博远', '天成', '永盛', '金桥', '汇海', '同创', '新锐', '嘉禾', '盛世', '联合', '东方', '长城', '万达', '科华', '海川', '启明', '正泰', '润泽']
const TRADES = ['机电设备', '建筑工程', '电子科技', '贸易', '环保科技', '精密制造', '物流', '软件', '新材料', '医疗器械', '能源技术', '工程咨询']
const SUFFIXES = ['有限公司', '股份有限公司', '集团有限公司']
const SALES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周婷', '吴刚', '徐丽', '孙浩']
const TERMS = [30, 45, 60, 90]

/** A small seeded generator (mulberry32): same seed, same numbers. */
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** Cents → "1234.56", exact (integer arithmetic only). */
function money(cents: number): string {
  const whole = Math.floor(cents / 100)
  return `${whole}.${String(cents % 100).padStart(2, '0')}`
}

class CsvFile {
  readonly path: string
  rows = 0
  readonly #out: WriteStream

  constructor(path: string, header: string[]) {
    this.path = path
    this.#out = createWriteStream(path)
    this.#out.write(`${header.join(',')}\n`)
  }

  async write(cells: (string | number)[]) {
    this.rows++
    const line = `${cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : c)).join(',')}\n`
    if (!this.#out.write(line)) await once(this.#out, 'drain')
  }

  async close() {
    this.#out.end()
    await once(this.#out, 'finish')
  }
}

export async function generateLedger(options: LedgerOptions): Promise<LedgerFiles> {
  const { outDir, size: invoices, end } = options
  if (!Number.isInteger(invoices) || invoices < 1 || invoices > 1_000_000) {
    throw new Error(`size (invoices) must be a whole number from 1 to 1000000, got ${invoices}`)
  }
  mkdirSync(outDir, { recursive: true })
  const rand = random(options.seed ?? 20_240_601)
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]

  const customerCount = Math.min(20_000, Math.max(12, Math.round(invoices / 25)))
  const customers = new CsvFile(join(outDir, 'demo_customers.csv'), ['编号', '名称', '区域', '销售', '账期', '信用额度'])
  const profiles: { code: string; terms: number; lateness: number; reliability: number }[] = []
  const names = new Set<string>()
  for (let i = 0; i < customerCount; i++) {
    const city = pick(CITIES)
    let name = `${city}${pick(WORDS)}${pick(TRADES)}${pick(SUFFIXES)}`
    if (names.has(name)) name = `${city}${pick(WORDS)}${pick(WORDS)}${pick(TRADES)}${pick(SUFFIXES)}`
    if (names.has(name)) name = `${name.replace(/公司$/, '')}（${i}）公司`
    names.add(name)
    const code = `C${String(i + 1).padStart(5, '0')}`
    const terms = pick(TERMS)
    const limit = (50 + Math.floor(rand() * 950)) * 10_000 * 100
    // How the customer pays: most on time or a little late, some badly.
    const reliability = rand()
    const lateness = reliability > 0.85 ? 60 + Math.floor(rand() * 120) : Math.floor(rand() * 25)
    profiles.push({ code, terms, lateness, reliability })
    await customers.write([code, name, REGION_OF[city], pick(SALES), terms, money(limit)])
  }
  await customers.close()

  const invoiceFile = new CsvFile(join(outDir, 'demo_invoices.csv'), ['发票号', '客户编号', '开票日期', '到期日', '金额', '合同号'])
  const receiptFile = new CsvFile(join(outDir, 'demo_receipts.csv'), ['收款单号', '客户编号', '收款日期', '金额', '方式'])
  const allocationFile = new CsvFile(join(outDir, 'demo_allocations.csv'), ['收款单号', '发票号', '核销日期', '金额'])
  const span = Math.min(730, 120 + Math.floor(invoices / 20))
  const start = addDays(end, -span)
  let receiptNo = 0

  for (let i = 0; i < invoices; i++) {
    const customer = profiles[Math.floor(Math.pow(rand(), 1.6) * profiles.length)]
    const spread = addDays(start, Math.floor((i / invoices) * span + rand() * 3))
    const invoiceDate = spread > end ? end : spread
    const due = addDays(invoiceDate, customer.terms)
    const cents = (5_000 + Math.floor(Math.pow(rand(), 2) * 495_000)) * 100 + Math.floor(rand() * 100)
    const number = `INV-${invoiceDate.slice(0, 4)}-${String(i + 1).padStart(7, '0')}`
    const contract = `HT-${invoiceDate.slice(0, 4)}-${String(Math.floor(i / 4) + 1).padStart(6, '0')}`
    await invoiceFile.write([number, customer.code, invoiceDate, due, money(cents), contract])

    // Payments: on time-ish, late, in two parts, or never (bad debt).
    const roll = rand()
    if (customer.reliability < 0.04 && roll < 0.7) continue
    const payDate = addDays(due, customer.lateness - 10 + Math.floor(rand() * 20))
    const parts = roll < 0.2 ? [Math.floor(cents * (0.3 + rand() * 0.4))] : [cents]
    if (parts[0] < cents) parts.push(cents - parts[0])
    let date = payDate
    for (const part of parts) {
      if (date > end) break
      receiptNo++
      const receipt = `RC-${date.slice(0, 4)}-${String(receiptNo).padStart(7, '0')}`
      await receiptFile.write([receipt, customer.code, date, money(part), pick(['transfer', 'transfer', 'transfer', 'acceptance', 'cash'])])
      await allocationFile.write([receipt, number, date, money(part)])
      date = addDays(date, 20 + Math.floor(rand() * 60))
    }
  }
  await Promise.all([invoiceFile.close(), receiptFile.close(), allocationFile.close()])
  return {
    files: [
      { mapping: 'demo_customers', path: customers.path, rows: customers.rows },
      { mapping: 'demo_invoices', path: invoiceFile.path, rows: invoiceFile.rows },
      { mapping: 'demo_receipts', path: receiptFile.path, rows: receiptFile.rows },
      { mapping: 'demo_allocations', path: allocationFile.path, rows: allocationFile.rows },
    ],
  }
}
