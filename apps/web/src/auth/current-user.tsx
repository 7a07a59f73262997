import { createContext, useContext } from 'react'
import type { SignedInUser } from './auth-api.js'

const CurrentUserContext = createContext<SignedInUser | null>(null)

export const CurrentUserProvider = CurrentUserContext.Provider

/** The signed-in user; every page inside the auth gate has one. */
export function useCurrentUser(): SignedInUser {
  const user = useContext(CurrentUserContext)
  if (!user) throw new Error('useCurrentUser is used outside the auth gate')
  return user
}
