import { LOCALES, TesseraError, type Locale } from '@tessera/core'
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { translate, type MessageKey, type MessageParams } from './i18n.js'

/** Where the chosen interface language is remembered between visits. */
export const LOCALE_STORAGE_KEY = 'tessera.locale'

export interface LocaleState {
  locale: Locale
  setLocale(locale: Locale): void
  t(key: MessageKey, params?: MessageParams): string
}

const LocaleContext = createContext<LocaleState | null>(null)

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(LOCALE_STORAGE_KEY)
    return isLocale(stored) ? stored : 'zh-CN'
  } catch {
    // Storage can be blocked (private windows, strict policies); Chinese stays the default.
    return 'zh-CN'
  }
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(readStoredLocale)

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next)
    try {
      window.localStorage.setItem(LOCALE_STORAGE_KEY, next)
    } catch {
      // Not remembered, but the switch still applies to this visit.
    }
  }, [])

  useEffect(() => {
    document.documentElement.lang = locale
  }, [locale])

  const value = useMemo<LocaleState>(
    () => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }),
    [locale, setLocale],
  )
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>
}

export function useLocale(): LocaleState {
  const state = useContext(LocaleContext)
  if (!state) {
    throw new TesseraError('internal', 'useLocale() was called outside <LocaleProvider>')
  }
  return state
}
