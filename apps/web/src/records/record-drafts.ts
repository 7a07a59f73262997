/**
 * Unsaved form values kept for the signed-in user in the browser, so a
 * closed tab, a lost session or a click elsewhere does not lose what was
 * typed. One draft per user, app, form and record ("new" for a record not
 * created yet); an edit's draft remembers the record version it started
 * from and is offered only while the record still has that version.
 *
 * @example
 * const key = draftKey('17', 'customer-settlement', 'invoice', undefined)
 * saveDraft(localStorage, key, { amount: '12.00' }, undefined, new Date())
 * loadDraft(localStorage, key, undefined) // → { values: { amount: '12.00' }, savedAt: '…' }
 */
export interface RecordDraft {
  values: Record<string, unknown>
  /** ISO time of the last change. */
  savedAt: string
  /** The record version the edit started from; absent for a new record. */
  version?: number
}

/** The part of the Web Storage API drafts need. */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

const PREFIX = 'tessera.draft'

export function draftKey(user: string, app: string, form: string, id: number | undefined): string {
  return [PREFIX, user, app, form, id === undefined ? 'new' : String(id)].map(encodeURIComponent).join('/')
}

export function loadDraft(
  storage: DraftStorage,
  key: string,
  version: number | undefined,
): RecordDraft | undefined {
  let draft: unknown
  try {
    draft = JSON.parse(storage.getItem(key) ?? 'null')
  } catch {
    return undefined
  }
  if (!isDraft(draft)) return undefined
  // A draft of an older version would undo someone else's later changes.
  if (draft.version !== version) return undefined
  return draft
}

export function saveDraft(
  storage: DraftStorage,
  key: string,
  values: Record<string, unknown>,
  version: number | undefined,
  now: Date,
): void {
  const draft: RecordDraft = { values, savedAt: now.toISOString(), ...(version === undefined ? {} : { version }) }
  try {
    storage.setItem(key, JSON.stringify(draft))
  } catch {
    // A full or disabled storage only costs the draft, never the form.
  }
}

export function clearDraft(storage: DraftStorage, key: string): void {
  storage.removeItem(key)
}

function isDraft(value: unknown): value is RecordDraft {
  if (typeof value !== 'object' || value === null) return false
  const draft = value as Partial<RecordDraft>
  return typeof draft.values === 'object' && draft.values !== null && typeof draft.savedAt === 'string' &&
    (draft.version === undefined || typeof draft.version === 'number')
}
