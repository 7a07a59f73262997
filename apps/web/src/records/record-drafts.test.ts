import { describe, expect, it } from 'vitest'
import { clearDraft, draftKey, loadDraft, saveDraft, type DraftStorage } from './record-drafts.js'

function memoryStorage(): DraftStorage & { items: Map<string, string> } {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  }
}

describe('record drafts', () => {
  const at = new Date('2026-12-04T08:30:00Z')

  it('keeps a draft per user, form and record, and gives it back until cleared', () => {
    const storage = memoryStorage()
    const mine = draftKey('17', 'crm', 'invoice', undefined)
    saveDraft(storage, mine, { number: 'A-1', amount: '12.30' }, undefined, at)
    expect(loadDraft(storage, mine, undefined)).toEqual({
      values: { number: 'A-1', amount: '12.30' }, savedAt: '2026-12-04T08:30:00.000Z',
    })
    expect(loadDraft(storage, draftKey('18', 'crm', 'invoice', undefined), undefined)).toBeUndefined()
    expect(loadDraft(storage, draftKey('17', 'crm', 'invoice', 5), undefined)).toBeUndefined()
    clearDraft(storage, mine)
    expect(loadDraft(storage, mine, undefined)).toBeUndefined()
  })

  it('offers an edit only while the record keeps the version the draft started from', () => {
    const storage = memoryStorage()
    const key = draftKey('17', 'crm', 'invoice', 5)
    saveDraft(storage, key, { amount: '1.00' }, 3, at)
    expect(loadDraft(storage, key, 3)?.values).toEqual({ amount: '1.00' })
    expect(loadDraft(storage, key, 4)).toBeUndefined()
  })

  it('ignores what is not a draft, and survives a storage that refuses to write', () => {
    const storage = memoryStorage()
    const key = draftKey('17', 'crm', 'invoice', undefined)
    storage.setItem(key, '{not json')
    expect(loadDraft(storage, key, undefined)).toBeUndefined()
    storage.setItem(key, JSON.stringify({ values: 'x', savedAt: 1 }))
    expect(loadDraft(storage, key, undefined)).toBeUndefined()
    const full: DraftStorage = { ...storage, setItem: () => { throw new Error('quota') } }
    expect(() => saveDraft(full, key, {}, undefined, at)).not.toThrow()
  })
})
