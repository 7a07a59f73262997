import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { ReactNode } from 'react'
import { onUnauthorized } from '../api/api-client.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { AUTH_STATE_KEY, useAuthState } from './auth-api.js'
import { CurrentUserProvider } from './current-user.js'
import { LoginPage } from './login-page.js'
import { SetupPage } from './setup-page.js'

/**
 * Shows the app only to someone signed in: the first-run setup while no
 * account exists, the sign-in page otherwise. Any 401 from the API (the
 * session ended) re-reads the state, which brings the sign-in page back.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const state = useAuthState()
  const client = useQueryClient()

  useEffect(
    () => onUnauthorized(() => void client.invalidateQueries({ queryKey: AUTH_STATE_KEY })),
    [client],
  )

  if (state.isError) return <LoadProblem error={state.error} onRetry={() => state.refetch()} />
  if (!state.data) return <PageLoading />
  if (state.data.setupNeeded) return <SetupPage />
  if (!state.data.user) return <LoginPage />
  return <CurrentUserProvider value={state.data.user}>{children}</CurrentUserProvider>
}
