import { useMemo, useSyncExternalStore } from 'react'
import { parseRoute, routeHref, type Route } from './route.js'

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

function currentHash(): string {
  return window.location.hash
}

/** The current route; re-renders when the hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '')
  return useMemo(() => parseRoute(hash), [hash])
}

/**
 * Goes to a route. With `replace` the current history entry is overwritten
 * (parameter and paging changes), so Back leaves the page instead of
 * stepping through every click.
 */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = routeHref(route)
  if (href === window.location.hash) return
  if (!options.replace && !mayLeave()) return
  if (!options.replace) {
    window.location.hash = href
    return
  }

  window.history.replaceState(window.history.state, '', href)
  // replaceState fires no hashchange of its own.
  window.dispatchEvent(new HashChangeEvent('hashchange'))
}

let leaveGuard: (() => boolean) | undefined

/** Whether the page may be left now: asks the guard, if a page set one. */
function mayLeave(): boolean {
  return leaveGuard === undefined || leaveGuard()
}

/**
 * While a page holds work that would be lost (a form design with unsaved
 * changes), `check` is asked before the app moves to another page, through
 * `navigate` or a link within the app; it returns whether to go. Returns
 * the function that removes the guard. (The browser's Back button changes
 * the page before anyone is asked; closing or reloading the tab is the
 * page's own `beforeunload`.)
 */
export function guardLeaving(check: () => boolean): () => void {
  leaveGuard = check
  const onClick = (event: MouseEvent) => {
    const link = (event.target as Element | null)?.closest?.('a[href^="#"]')
    if (!link || link.getAttribute('href') === window.location.hash) return
    if (!mayLeave()) {
      event.preventDefault()
      event.stopPropagation()
    }
  }
  document.addEventListener('click', onClick, true)
  return () => {
    if (leaveGuard === check) leaveGuard = undefined
    document.removeEventListener('click', onClick, true)
  }
}
