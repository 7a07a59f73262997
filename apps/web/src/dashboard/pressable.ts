import type { KeyboardEvent } from 'react'

/**
 * What makes a table row or cell act as a button: clicked, or reached
 * with Tab and pressed with Enter or Space, so figures drill from the
 * keyboard too.
 */
export function pressable(press: () => void) {
  return {
    onClick: press,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return
      event.preventDefault()
      press()
    },
    // Focusable, keeping its table role: a screen reader still reads the row or cell in its table.
    tabIndex: 0,
  }
}
