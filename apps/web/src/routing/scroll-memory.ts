import { useEffect, useRef } from 'react'

/** The key under which a history entry keeps how far its page was scrolled. */
const SCROLL_KEY = 'tesseraScrollY'

/**
 * Notes, in the current history entry, how far the page shown is
 * scrolled, before going on to another (a figure clicked opens its
 * records): Back to this entry, `useScrollBack` puts the reader where they
 * were instead of at the top. A later visit through a link or the menu is
 * a new entry, and opens at the top.
 */
export function keepScroll(): void {
  window.history.replaceState({ ...stateObject(), [SCROLL_KEY]: window.scrollY }, '')
}

/**
 * Scrolls a page come back to through Back to where `keepScroll` noted it,
 * once `ready`, the first time only: later scrolling is the reader's.
 * Widgets and rows are laid out over a few frames after their data, so it
 * waits (at most about two seconds) until the page is tall enough, and
 * gives up if the reader scrolls, touches the page or types first.
 */
export function useScrollBack(ready: boolean): void {
  const done = useRef(false)
  const cancel = useRef<() => void>(undefined)
  useEffect(() => {
    if (!ready || done.current) return
    done.current = true
    // Kept in the entry: Forward then Back again (or a reload) finds the same place.
    const top = stateObject()[SCROLL_KEY]
    if (typeof top !== 'number' || top <= 0) return
    let frame = 0
    let tries = 0
    const stop = () => {
      cancelAnimationFrame(frame)
      for (const name of READER_MOVES) window.removeEventListener(name, stop)
    }
    const attempt = () => {
      const room = document.documentElement.scrollHeight - window.innerHeight
      tries += 1
      if (room >= top || tries > MAX_FRAMES) {
        window.scrollTo(0, Math.min(top, room))
        stop()
        return
      }
      frame = requestAnimationFrame(attempt)
    }
    for (const name of READER_MOVES) window.addEventListener(name, stop, { passive: true })
    frame = requestAnimationFrame(attempt)
    cancel.current = stop
  }, [ready])
  // Only leaving the page stops it: `ready` turning false a moment (a refetch) does not.
  useEffect(() => () => cancel.current?.(), [])
}

function stateObject(): Record<string, unknown> {
  const state: unknown = window.history.state
  return typeof state === 'object' && state !== null ? { ...state } : {}
}

const READER_MOVES = ['wheel', 'touchstart', 'keydown'] as const
/** About two seconds of frames. */
const MAX_FRAMES = 120
