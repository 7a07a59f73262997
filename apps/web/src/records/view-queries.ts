import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiPath, apiRequest } from '../api/api-client.js'
import type { ListView } from '../api/types.js'
import { useLocale } from '../locale-context.js'

/** What a saved view keeps of a list. */
export interface ViewSpec {
  filter?: unknown
  sort?: string
  columns?: string[]
  pageSize?: number
}

export interface ViewInput {
  name?: string
  shared?: boolean
  spec?: ViewSpec
}

/** The signed-in user's saved views of a form and the calls that change them. */
export function useListViews(app: string, form: string) {
  const { locale } = useLocale()
  const client = useQueryClient()
  const path = apiPath('apps', app, 'forms', form, 'views')
  const key = [locale, 'views', app, form]
  const views = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => apiRequest<ListView[]>({ path, locale, signal }),
  })
  const refresh = () => client.invalidateQueries({ queryKey: key })

  const create = useMutation({
    mutationFn: (input: ViewInput) =>
      apiRequest<ListView>({ method: 'POST', path, body: input, locale }),
    onSuccess: refresh,
  })
  const update = useMutation({
    mutationFn: ({ id, ...input }: ViewInput & { id: number }) =>
      apiRequest<ListView>({ method: 'PATCH', path: path + apiPath(id), body: input, locale }),
    onSuccess: refresh,
  })
  const remove = useMutation({
    mutationFn: (id: number) => apiRequest<void>({ method: 'DELETE', path: path + apiPath(id), locale }),
    onSuccess: refresh,
  })
  const setDefault = useMutation({
    mutationFn: (view: number | null) =>
      apiRequest<void>({ method: 'PUT', path: path + '/default', body: { view }, locale }),
    onSuccess: refresh,
  })
  return { views, create, update, remove, setDefault }
}
