import { describe, expect, it } from 'vitest'
import { isUnstorableText, nestedDeeperThan, pathStep, unstorableTextPath } from './json-walk.js'

describe('walking JSON documents from outside', () => {
  it('finds nesting too deep for any walk with recursion, named as far as asked', () => {
    let deep: unknown = { var: 'a' }
    for (let level = 0; level < 100_000; level += 1) deep = { '!': deep }
    const spec = { key: 'x', where: deep, fields: [{ key: 'f', expression: deep }] }
    expect(nestedDeeperThan({ where: deep }, 64, 1)).toBe('where')
    expect(nestedDeeperThan({ fields: [{ expression: deep }] }, 64, 3)).toBe('fields[0].expression')
    expect(nestedDeeperThan(spec, 1_000_000)).toBeUndefined()
    // Exactly at the limit is fine: the document itself is level 0.
    expect(nestedDeeperThan({ a: { b: {} } }, 2)).toBeUndefined()
    expect(nestedDeeperThan({ a: { b: { c: {} } } }, 2)).toBe('a.b.c')
  })

  it('finds the texts and keys no database text can hold, by path', () => {
    expect(unstorableTextPath({ values: { note: 'a\u0000b' } })).toBe('values.note')
    expect(unstorableTextPath({ list: ['ok', '\ud800'] })).toBe('list[1]')
    expect(unstorableTextPath({ ['k\udc00']: 1 })).toBe('k\\udc00')
    expect(unstorableTextPath('\u0000')).toBe('')
    expect(unstorableTextPath({ emoji: '合同😀', nested: [{ a: 'b' }] })).toBeUndefined()
    // Only plain documents are walked: a stream or buffer body is left to its reader.
    expect(unstorableTextPath({ file: new Uint8Array([0]) })).toBeUndefined()
    expect(isUnstorableText('x\ud83d')).toBe(true)
    expect(pathStep('', 'a')).toBe('a')
    expect(pathStep('a', 0)).toBe('a[0]')
  })
})
