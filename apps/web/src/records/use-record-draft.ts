import { useEffect, useMemo, useRef, useState } from 'react'
import { clearDraft, draftKey, loadDraft, saveDraft, type RecordDraft } from './record-drafts.js'

/** How long typing pauses before the draft is written. */
const WRITE_DELAY_MS = 400

interface DraftTarget {
  user: string
  app: string
  form: string
  /** The record being edited; absent for a new one. */
  id?: number
  version?: number
}

/**
 * The draft of one record form for the signed-in user: the draft found
 * when the form opened (until restored or discarded), `remember` to keep
 * the current values (written after a pause), and `clear` once saved.
 * Without a target (the form builder's preview) nothing is kept.
 */
export function useRecordDraft(target: DraftTarget | undefined) {
  const key = target ? draftKey(target.user, target.app, target.form, target.id) : undefined
  const version = target?.version
  const found = useMemo(
    () => (key ? loadDraft(window.localStorage, key, version) : undefined),
    [key, version],
  )
  const [offered, setOffered] = useState<RecordDraft | undefined>(found)
  const timer = useRef<number | undefined>(undefined)

  useEffect(() => () => window.clearTimeout(timer.current), [])

  return {
    offered,
    /** Stop offering the draft; `keep` false also deletes it. */
    dismiss(keep: boolean) {
      setOffered(undefined)
      if (!keep && key) clearDraft(window.localStorage, key)
    },
    remember(values: Record<string, unknown>) {
      if (!key) return
      window.clearTimeout(timer.current)
      timer.current = window.setTimeout(
        () => saveDraft(window.localStorage, key, values, version, new Date()),
        WRITE_DELAY_MS,
      )
    },
    clear() {
      window.clearTimeout(timer.current)
      setOffered(undefined)
      if (key) clearDraft(window.localStorage, key)
    },
  }
}
