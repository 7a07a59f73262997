import type { KeyboardEvent } from 'react'

/** Controls Enter moves between, in document order. */
const STOPS = '[data-field] input:not([disabled]):not([type="hidden"]), [data-action="save"]'

/**
 * Enter in a one-line input moves focus to the next field (the last field
 * moves to the save button) instead of submitting the form. Left alone:
 * text areas (Enter is a new line), an IME composition (Enter picks the
 * Chinese characters) and an open drop-down (Enter picks the option).
 */
export function moveFocusOnEnter(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Enter' || event.nativeEvent.isComposing) return
  const target = event.target
  if (!(target instanceof HTMLInputElement)) return
  if (target.getAttribute('aria-expanded') === 'true') return

  const stops = Array.from(event.currentTarget.querySelectorAll<HTMLElement>(STOPS))
  const index = stops.indexOf(target)
  if (index < 0) return
  event.preventDefault()
  stops[index + 1]?.focus()
}
