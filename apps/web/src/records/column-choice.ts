import type { FormDefinition } from '@tessera/core'
import { useCallback, useState } from 'react'
import { listFields } from './list-columns.js'

/** Fields a list can show as columns: all but line items. */
export function columnCandidates(definition: FormDefinition) {
  return definition.fields.filter((field) => field.type !== 'lines')
}

function storageKey(user: number, app: string, form: string) {
  return `tessera.list.columns.${user}.${app}.${form}`
}

/** Drops keys the form no longer has; undefined when nothing usable is left. */
export function cleanColumns(definition: FormDefinition, keys: unknown): string[] | undefined {
  if (!Array.isArray(keys)) return undefined
  const known = new Set(columnCandidates(definition).map((field) => field.key))
  const kept = keys.filter((key): key is string => typeof key === 'string' && known.has(key))
  return kept.length ? [...new Set(kept)] : undefined
}

function readStored(key: string): unknown {
  try {
    return JSON.parse(window.localStorage.getItem(key) ?? 'null')
  } catch {
    return null
  }
}

/**
 * The columns one user shows for one form, kept in localStorage (the
 * unsaved state of the list; saved views carry their own). Undefined
 * means the form's default columns.
 */
export function useColumnChoice(user: number, app: string, form: string, definition?: FormDefinition) {
  const key = storageKey(user, app, form)
  const [state, setState] = useState(() => ({ key, value: readStored(key) }))
  // Another form's list reuses this page: read that form's choice.
  const stored = state.key === key ? state.value : readStored(key)
  if (state.key !== key) setState({ key, value: stored })
  const choose = useCallback((keys: string[] | undefined) => {
    if (keys) window.localStorage.setItem(key, JSON.stringify(keys))
    else window.localStorage.removeItem(key)
    setState({ key, value: keys ?? null })
  }, [key])
  const chosen = definition ? cleanColumns(definition, stored) : undefined
  const shown = chosen ?? (definition ? listFields(definition).map((field) => field.key) : [])
  return { chosen, shown, choose }
}
