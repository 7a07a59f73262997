import type { ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { LocaleProvider } from '../locale-context.js'

/**
 * Renders a component to HTML in Node, inside the providers it needs, and
 * parses nothing: tests look for the test hooks and texts in the markup.
 * Effects do not run, so this suits what a component shows, not what it does.
 */
export function renderMarkup(node: ReactNode): string {
  return renderToStaticMarkup(<LocaleProvider>{node}</LocaleProvider>)
}

/** The value of the first `name="…"` attribute, entities decoded. */
export function attribute(markup: string, name: string): string | undefined {
  const match = new RegExp(`${name}="([^"]*)"`).exec(markup)
  if (!match) return undefined
  return match[1]
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}
