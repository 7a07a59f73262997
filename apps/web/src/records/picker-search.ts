import { useEffect, useState, type KeyboardEvent } from 'react'

const SEARCH_DELAY_MS = 250

/**
 * What is typed into a picker that searches the server, and the query sent
 * for it a moment after the typing stops. Closing the list forgets the
 * search typed.
 */
export function useTypedSearch() {
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [query, setQuery] = useState('')

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(typed.trim()), SEARCH_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [typed])

  const onOpenChange = (opened: boolean) => {
    setOpen(opened)
    if (!opened) setTyped('')
  }
  return { open, setOpen, typed, setTyped, query, onOpenChange }
}

/**
 * Whether the results shown belong to what is typed (`settled`), and the
 * handling of an Enter pressed before they do: it is held (the select would
 * act on an empty or stale list, leaving the earlier choice in place) and
 * the first result is picked as soon as the results come. Put
 * `onKeyDownCapture` on an element around the select, so it runs first.
 */
export function useSettledSearch(
  search: ReturnType<typeof useTypedSearch>,
  found: { data?: readonly { id: number }[]; isFetching: boolean },
  pickFirst: (id: number) => void,
) {
  const searching = search.typed.trim() !== ''
  const settled = !searching || (search.typed.trim() === search.query && !found.isFetching)
  const [enterPending, setEnterPending] = useState(false)

  useEffect(() => {
    if (!enterPending || !settled) return
    setEnterPending(false)
    const first = found.data?.[0]
    if (!first) return
    search.setTyped('')
    search.setOpen(false)
    pickFirst(first.id)
  }, [enterPending, settled, found.data, search, pickFirst])

  const onKeyDownCapture = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || settled) return
    event.preventDefault()
    event.stopPropagation()
    setEnterPending(true)
  }
  return { searching, settled, onKeyDownCapture }
}
