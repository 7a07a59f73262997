import { useEffect, useState } from 'react'
import { flushSync } from 'react-dom'

/**
 * When the page is printed: the moment the browser starts printing it
 * (the 打印 button or the browser's own Print), rendered before the
 * printout is laid out, so the paper says when its figures were taken
 * rather than when the page was opened.
 */
export function usePrintTime(): number {
  const [at, setAt] = useState(() => Date.now())
  useEffect(() => {
    // The print layout is taken right after this event: the new time must be in the page by then.
    const stamp = () => flushSync(() => setAt(Date.now()))
    window.addEventListener('beforeprint', stamp)
    return () => window.removeEventListener('beforeprint', stamp)
  }, [])
  return at
}
