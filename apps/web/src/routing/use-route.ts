import { useMemo, useSyncExternalStore } from 'react'
import { parseRoute, routeHref, type Route } from './route.js'

function subscribe(onChange: () => void): () => void {
  const listener = (event: Event) => {
    // Back, Forward or an edited address: the guard is asked first, and a
    // refusal puts the guarded page back before anyone reads the new hash.
    if (!acceptHashChange(event)) return
    onChange()
  }
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

/** The hash of the page shown, as last accepted. */
let shownHash = typeof window === 'undefined' ? '' : window.location.hash
/**
 * Counts the pages shown: a page left and come back to is a new visit, so
 * an action begun on the first visit does not act on the second.
 */
let visit = 0
/** The next hash change was asked for (or needs no asking): let it through. */
let approvedHash: string | undefined
/** Every subscriber hears each hash change: it is decided once, by the first. */
let decided: { event: Event; accepted: boolean } | undefined

function acceptHashChange(event: Event): boolean {
  if (decided?.event === event) return decided.accepted
  const accepted = decideHashChange()
  decided = { event, accepted }
  return accepted
}

function decideHashChange(): boolean {
  const hash = window.location.hash
  if (hash === shownHash) {
    // A change was announced, yet the hash is the one shown: the reader went
    // elsewhere and came back before it was heard (Back then Forward, or two
    // quick moves). That is a new visit all the same.
    visit += 1
    return true
  }
  if (hash === approvedHash || leaveGuard === undefined || leaveGuard()) {
    approvedHash = undefined
    shownHash = hash
    visit += 1
    leaveFocus()
    return true
  }
  // Stay: the guarded page goes back on top of the history.
  window.history.pushState(window.history.state, '', shownHash)
  return false
}

/**
 * Takes focus off the control of the page being left, before the new page
 * replaces it: its blur handlers run while it is still there. Removed while
 * focused, a date picker's blur reached it after its parts were gone and
 * threw.
 */
function leaveFocus(): void {
  const focused = document.activeElement
  if (focused instanceof HTMLElement && focused !== document.body) focused.blur()
}

function currentHash(): string {
  return window.location.hash
}

/**
 * Where the page is now, for `navigate`'s `from`: an action that goes
 * somewhere once a request returns passes it, so that a reader who has
 * moved on meanwhile — also one who went elsewhere and came back to the
 * same page — is not pulled away.
 */
export function hereNow(): string {
  return `${visit}:${currentHash()}`
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
export function navigate(route: Route, options: { replace?: boolean; from?: string } = {}): void {
  const href = routeHref(route)
  if (href === window.location.hash) return
  // Asked for before an await, and the reader has gone elsewhere since: stay where they went.
  if (options.from !== undefined && options.from !== hereNow()) return
  if (!options.replace && !mayLeave()) return
  approvedHash = href
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
 * the function that removes the guard. Back, Forward and an address typed
 * in ask it too: the hash has already changed then, so a refusal pushes
 * the guarded page back. Closing or reloading the tab is the page's own
 * `beforeunload`.
 */
export function guardLeaving(check: () => boolean): () => void {
  leaveGuard = check
  const onClick = (event: MouseEvent) => {
    const link = (event.target as Element | null)?.closest?.('a[href^="#"]')
    const href = link?.getAttribute('href')
    if (!href || href === window.location.hash) return
    if (!mayLeave()) {
      event.preventDefault()
      event.stopPropagation()
      return
    }
    approvedHash = href
  }
  document.addEventListener('click', onClick, true)
  return () => {
    if (leaveGuard === check) leaveGuard = undefined
    document.removeEventListener('click', onClick, true)
  }
}
