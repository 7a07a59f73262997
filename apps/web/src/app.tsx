import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { App as AntApp, ConfigProvider } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import type { ReactNode } from 'react'
import { useState } from 'react'
import { isApiError } from './api/api-error.js'
import { AuthGate } from './auth/auth-gate.js'
import { LocaleProvider, useLocale } from './locale-context.js'
import { AppShell } from './shell/app-shell.js'

const MAX_RETRIES = 2

/** Client errors (4xx) are answers, not hiccups: retrying them cannot help. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false
  return failureCount < MAX_RETRIES
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  })
}

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-reduced-motion: reduce)').matches
}

/** antd's and dayjs's own texts (date pickers, pagination) follow the chosen language. */
function LocalizedAntd({ children }: { children: ReactNode }) {
  const { locale } = useLocale()
  // dayjs keeps one global locale (month names, first day of the week). It
  // is set while rendering, not in an effect, so that pickers rendered in
  // this same pass already use it; setting it again is harmless.
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn')
  // A reader who asks their system for less motion gets menus, pickers and dialogs without animation.
  const [still] = useState(prefersReducedMotion)
  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#1f6feb', borderRadius: 6, motion: !still } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  )
}

export function App() {
  const [client] = useState(createQueryClient)
  return (
    <QueryClientProvider client={client}>
      <LocaleProvider>
        <LocalizedAntd>
          <AuthGate>
            <AppShell />
          </AuthGate>
        </LocalizedAntd>
      </LocaleProvider>
    </QueryClientProvider>
  )
}
