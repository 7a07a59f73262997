import type { FormResponse } from '../api/types.js'
import type { RoleSpec } from '@tessera/core'
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'

const rolesKey = (app: string) => ['admin', 'app-roles', app] as const

/** GET /api/admin/apps/:app/roles: the app's role documents. */
export function useAppRoles(app: string | undefined) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [...rolesKey(app ?? ''), locale],
    queryFn: ({ signal }) => apiRequest<RoleSpec[]>({ path: apiPath('admin', 'apps', app ?? '', 'roles'), locale, signal }),
    enabled: app !== undefined,
  })
}

/** Every form definition of an app, for the fields a role may hide. */
export function useFormDefinitions(app: string | undefined, forms: string[]) {
  const { locale } = useLocale()
  return useQueries({
    queries: forms.map((form) => ({
      queryKey: [locale, 'form', app, form],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiRequest<FormResponse>({ path: apiPath('apps', app ?? '', 'forms', form), locale, signal }),
      enabled: app !== undefined,
    })),
  })
}

export function useSaveRole(app: string) {
  const { locale } = useLocale()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (role: RoleSpec) =>
      apiRequest<RoleSpec>({ method: 'PUT', path: apiPath('admin', 'apps', app, 'roles', role.key), body: role, locale }),
    onSuccess: () => client.invalidateQueries({ queryKey: rolesKey(app) }),
  })
}

export function useDeleteRole(app: string) {
  const { locale } = useLocale()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (key: string) => apiRequest<void>({ method: 'DELETE', path: apiPath('admin', 'apps', app, 'roles', key), locale }),
    onSuccess: () => client.invalidateQueries({ queryKey: rolesKey(app) }),
  })
}
