import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { MAX_EXPANDED_NODES, expandedSize } from '../src/expanded-size.js'

const times = (count: number, node: unknown) => ({ '*': Array.from({ length: count }, () => node) })

describe('expandedSize', () => {
  it('counts each use of a let as its expression written out, each let sized once', () => {
    const spec = { let: { a: times(3, { var: 'amount' }), b: times(2, { ref: 'a' }) }, measures: [{ expr: { ref: 'b' } }] }
    const a = expandedSize({ measures: [{ expr: times(3, { var: 'amount' }) }] })
    expect(expandedSize(spec)).toBe(expandedSize({ measures: [{ expr: times(2, times(3, { var: 'amount' })) }] }))
    expect(a).toBeLessThan(expandedSize(spec))
    // An unused let adds nothing; a cycle or an unknown name counts as one node, refused elsewhere.
    expect(expandedSize({ ...spec, let: { ...spec.let, unused: times(50, { var: 'x' }) } })).toBe(expandedSize(spec))
    expect(expandedSize({ let: { x: { ref: 'x' } }, measures: [{ expr: { ref: 'x' } }] })).toBeLessThan(10)
    expect(expandedSize({ measures: [{ expr: { ref: 'nothing' } }] })).toBeLessThan(10)
  })

  it('stops counting past twice the cap, however the lets multiply', () => {
    const bomb = { let: { a: times(64, { var: 'amount' }), b: times(64, { ref: 'a' }), c: times(64, { ref: 'b' }), d: times(64, { ref: 'c' }) },
      measures: [{ expr: { ref: 'd' } }] }
    expect(expandedSize(bomb)).toBe(MAX_EXPANDED_NODES * 2)
  })

  it('leaves the template\'s reports far below the cap', () => {
    const dir = join(import.meta.dirname, '../../../templates/customer-settlement/reports')
    for (const file of readdirSync(dir)) {
      expect(expandedSize(JSON.parse(readFileSync(join(dir, file), 'utf8'))), file).toBeLessThan(500)
    }
  })
})
