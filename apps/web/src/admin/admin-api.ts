import type { AccessScope, LocalizedText } from '@tessera/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiPath, apiRequest, type ApiRequest } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'

/** A user as GET /api/admin/users lists them. */
export interface UserRecord {
  id: number
  username: string
  displayName: string
  admin: boolean
  disabled: boolean
  department: { id: number; name: string; path: string } | null
  roles: string[]
  lockedUntil: string | null
  createdAt: string
  passwordChangedAt: string | null
}

export interface Department {
  id: number
  name: string
  parentId: number | null
  /** Ids from the root down: "/1/4/". */
  path: string
}

/** A role an administrator can assign: GET /api/admin/roles. */
export interface RoleOption {
  app: string
  key: string
  label: LocalizedText | null
}

export interface TokenRecord {
  id: number
  name: string
  scopes: AccessScope[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

const keys = {
  users: ['admin', 'users'] as const,
  departments: ['admin', 'departments'] as const,
  roles: ['admin', 'roles'] as const,
  tokens: ['tokens'] as const,
}

function useList<T>(key: readonly string[], path: string) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [...key, locale],
    queryFn: ({ signal }) => apiRequest<T[]>({ path, locale, signal }),
  })
}

export const useUsers = () => useList<UserRecord>(keys.users, '/admin/users')
export const useDepartments = () => useList<Department>(keys.departments, '/admin/departments')
export const useRoleOptions = () => useList<RoleOption>(keys.roles, '/admin/roles')
export const useTokens = () => useList<TokenRecord>(keys.tokens, '/tokens')

/** A change through the API that refreshes the lists it touches. */
function useChange<Input, Output>(
  toRequest: (input: Input) => Omit<ApiRequest, 'locale'>,
  touches: ReadonlyArray<readonly string[]>,
) {
  const { locale } = useLocale()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: Input) => apiRequest<Output>({ ...toRequest(input), locale }),
    onSuccess: () => {
      for (const key of touches) void client.invalidateQueries({ queryKey: key })
    },
  })
}

export interface UserInput {
  username?: string
  displayName?: string
  password?: string
  admin?: boolean
  departmentId?: number | null
  roles?: string[]
}

export const useCreateUser = () =>
  useChange<UserInput, UserRecord>((body) => ({ method: 'POST', path: '/admin/users', body }), [keys.users])

/** What PATCH /api/admin/users/:id changes. */
export type UserChanges = Omit<UserInput, 'username' | 'password' | 'roles'> & { disabled?: boolean }

export const useUpdateUser = () =>
  useChange<{ id: number; changes: UserChanges }, UserRecord>(
    ({ id, changes }) => ({ method: 'PATCH', path: apiPath('admin', 'users', id), body: changes }),
    [keys.users],
  )

export const useSetRoles = () =>
  useChange<{ id: number; roles: string[] }, UserRecord>(
    ({ id, roles }) => ({ method: 'PUT', path: apiPath('admin', 'users', id, 'roles'), body: { roles } }),
    [keys.users],
  )

export const useResetPassword = () =>
  useChange<{ id: number; password: string }, void>(
    ({ id, password }) => ({
      method: 'POST',
      path: apiPath('admin', 'users', id, 'reset-password'),
      body: { password },
    }),
    [keys.users],
  )

export const useSaveDepartment = () =>
  useChange<{ id?: number; name: string; parentId: number | null }, Department>(
    ({ id, ...body }) => id === undefined
      ? { method: 'POST', path: '/admin/departments', body }
      : { method: 'PATCH', path: apiPath('admin', 'departments', id), body },
    [keys.departments, keys.users],
  )

export const useCreateToken = () =>
  useChange<{ name: string; scopes: AccessScope[] }, { token: TokenRecord; secret: string }>(
    (body) => ({ method: 'POST', path: '/tokens', body }),
    [keys.tokens],
  )

export const useRevokeToken = () =>
  useChange<number, void>((id) => ({ method: 'DELETE', path: apiPath('tokens', id) }), [keys.tokens])
