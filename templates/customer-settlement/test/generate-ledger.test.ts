import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateLedger } from '../tools/generate-ledger.js'

function read(path: string): string[][] {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => line.split(','))
}

function cents(text: string): number {
  const [whole, fraction] = text.split('.')
  return Number(whole) * 100 + Number(fraction)
}

describe('the demo ledger generator', () => {
  const options = { size: 800, end: '2026-06-30', seed: 7 }

  it('gives the same files for the same options', async () => {
    const a = await generateLedger({ ...options, outDir: mkdtempSync(join(tmpdir(), 'gen-a-')) })
    const b = await generateLedger({ ...options, outDir: mkdtempSync(join(tmpdir(), 'gen-b-')) })
    for (const [i, file] of a.files.entries()) {
      expect(readFileSync(file.path, 'utf8')).toBe(readFileSync(b.files[i].path, 'utf8'))
    }
    const other = await generateLedger({ ...options, seed: 8, outDir: mkdtempSync(join(tmpdir(), 'gen-c-')) })
    expect(readFileSync(other.files[1].path, 'utf8')).not.toBe(readFileSync(a.files[1].path, 'utf8'))
  })

  it('writes a consistent ledger: nothing after the end, never over-allocated', async () => {
    const { files } = await generateLedger({ ...options, outDir: mkdtempSync(join(tmpdir(), 'gen-d-')) })
    const [customers, invoices, receipts, allocations] = files.map((f) => read(f.path).slice(1))
    expect(invoices).toHaveLength(800)
    expect(new Set(customers.map((c) => c[1])).size).toBe(customers.length)

    const codes = new Set(customers.map((c) => c[0]))
    const amount = new Map(invoices.map((i) => [i[0], cents(i[4])]))
    for (const invoice of invoices) {
      expect(codes.has(invoice[1])).toBe(true)
      expect(invoice[2] <= options.end).toBe(true)
      expect(invoice[3] > invoice[2]).toBe(true)
    }
    for (const receipt of receipts) expect(receipt[2] <= options.end).toBe(true)

    const paid = new Map<string, number>()
    for (const [, invoice, , value] of allocations) paid.set(invoice, (paid.get(invoice) ?? 0) + cents(value))
    for (const [invoice, sum] of paid) expect(sum).toBeLessThanOrEqual(amount.get(invoice)!)
    // Realistic mix: some invoices paid in full, some in part, some not at all.
    const full = [...amount].filter(([n, a]) => paid.get(n) === a).length
    const partial = [...amount].filter(([n, a]) => (paid.get(n) ?? 0) > 0 && paid.get(n)! < a).length
    const unpaid = [...amount].filter(([n]) => !paid.has(n)).length
    expect(full).toBeGreaterThan(0)
    expect(partial).toBeGreaterThan(0)
    expect(unpaid).toBeGreaterThan(0)
  })

  it('refuses a size out of range', async () => {
    await expect(generateLedger({ ...options, size: 0, outDir: tmpdir() })).rejects.toThrow('from 1 to 1000000')
  })
})
