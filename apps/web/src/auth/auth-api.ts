import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { apiRequest, setCsrfToken } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'

/** The signed-in user, as GET /api/auth/state and sign-in answer it. */
export interface SignedInUser {
  id: number
  username: string
  displayName: string
  admin: boolean
  roles: string[]
  department: { id: number; name: string; path: string } | null
}

/** GET /api/auth/state: first run, signed out, or signed in with a CSRF token. */
export interface AuthState {
  setupNeeded: boolean
  user?: SignedInUser
  csrfToken?: string
}

interface SignInAnswer {
  user: SignedInUser
  csrfToken: string
}

export const AUTH_STATE_KEY = ['auth', 'state'] as const

export function useAuthState() {
  const { locale } = useLocale()
  return useQuery({
    queryKey: AUTH_STATE_KEY,
    queryFn: async ({ signal }) => {
      const state = await apiRequest<AuthState>({ path: '/auth/state', locale, signal })
      setCsrfToken(state.csrfToken)
      return state
    },
    staleTime: Infinity,
    retry: 1,
  })
}

// Whatever was cached belongs to the previous person (or to nobody): drop
// it, then remember who is here now. The state query itself stays in the
// cache, because the auth gate is subscribed to it; a removed query would
// no longer tell the gate about the new state.
function switchSession(client: QueryClient, state: AuthState) {
  setCsrfToken(state.csrfToken)
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== AUTH_STATE_KEY[0] })
  client.setQueryData(AUTH_STATE_KEY, state)
}

export function useSetup() {
  const { locale } = useLocale()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: { username: string; displayName: string; password: string }) =>
      apiRequest<SignInAnswer>({ method: 'POST', path: '/auth/setup', body, locale }),
    onSuccess: (answer) => switchSession(client, { setupNeeded: false, ...answer }),
  })
}

export function useLogin() {
  const { locale } = useLocale()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      apiRequest<SignInAnswer>({ method: 'POST', path: '/auth/login', body, locale }),
    onSuccess: (answer) => switchSession(client, { setupNeeded: false, ...answer }),
  })
}

export function useLogout() {
  const { locale } = useLocale()
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => apiRequest<void>({ method: 'POST', path: '/auth/logout', locale }),
    onSettled: () => switchSession(client, { setupNeeded: false }),
  })
}

export function useChangePassword() {
  const { locale } = useLocale()
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      apiRequest<void>({ method: 'POST', path: '/auth/password', body, locale }),
  })
}
