import { useEffect, useRef } from 'react'

/**
 * Keeps the keyboard's place when a click changes what is on the page:
 * `focusNext(selector)` focuses the first element matching one of the
 * selectors once the change has rendered (a removed row's button is gone,
 * a moved row's ↑ is disabled at the top, a new row's first input is new),
 * instead of leaving focus on <body> or on the button that added the row.
 * A selector matching a wrapper focuses the first focusable thing inside.
 */
export function useFocusAfter(): (...selectors: string[]) => void {
  const wanted = useRef<string[] | undefined>(undefined)
  useEffect(() => {
    const selectors = wanted.current
    if (!selectors) return
    wanted.current = undefined
    for (const selector of selectors) {
      const found = document.querySelector<HTMLElement>(selector)
      const target = found && !isFocusable(found)
        ? found.querySelector<HTMLElement>('input:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])')
        : found
      if (target && isFocusable(target)) {
        target.focus()
        return
      }
    }
  })
  return (...selectors: string[]) => {
    wanted.current = selectors
  }
}

function isFocusable(element: HTMLElement): boolean {
  if ((element as HTMLButtonElement).disabled) return false
  return element.matches('input, button, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')
}
