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
  if (!options.replace) {
    window.location.hash = href
    return
  }

  window.history.replaceState(window.history.state, '', href)
  // replaceState fires no hashchange of its own.
  window.dispatchEvent(new HashChangeEvent('hashchange'))
}
