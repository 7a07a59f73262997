/** Text shown to people: one string, or one per locale. zh-CN comes first. */
export type Locale = 'zh-CN' | 'en'

export const LOCALES: readonly Locale[] = ['zh-CN', 'en']

export type LocalizedText = string | { 'zh-CN': string; en?: string }

/** Picks the text for a locale, falling back to Chinese. */
export function localize(text: LocalizedText | undefined, locale: Locale): string {
  if (text === undefined) return ''
  if (typeof text === 'string') return text
  return text[locale] ?? text['zh-CN']
}
