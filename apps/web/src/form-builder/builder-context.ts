import { createContext, useContext } from 'react'

/** The app whose forms the builder is designing. */
export const BuilderApp = createContext('')

export function useBuilderApp(): string {
  return useContext(BuilderApp)
}
