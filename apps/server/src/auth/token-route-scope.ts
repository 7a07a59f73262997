import { scopeAllows, scopeTouchesApp, type AccessScope, type ScopeAction } from '@tessera/core'

type Params = Record<string, string | undefined>

/**
 * What an API token needs to call a route, by route pattern. A route that
 * is not listed is closed to tokens: new routes stay closed until someone
 * decides which scope opens them.
 */
const FORM_ROUTES: Record<string, ScopeAction> = {
  'GET /api/apps/:app/forms/:form': 'read',
  'GET /api/apps/:app/forms/:form/records': 'read',
  'GET /api/apps/:app/forms/:form/records/:id': 'read',
  'GET /api/apps/:app/forms/:form/records/:id/history': 'read',
  'GET /api/apps/:app/forms/:form/options': 'read',
  'POST /api/apps/:app/forms/:form/records': 'create',
  'PATCH /api/apps/:app/forms/:form/records/:id': 'update',
  'DELETE /api/apps/:app/forms/:form/records/:id': 'delete',
  'GET /api/apps/:app/forms/:form/export': 'export',
  'POST /api/apps/:app/forms/:form/fields/:field/files': 'create',
  'GET /api/apps/:app/forms/:form/records/:id/files/:file': 'read',
  'GET /api/apps/:app/forms/:form/import/setup': 'import',
  'POST /api/apps/:app/forms/:form/import': 'import',
}

/** An import mapping writes several forms: a token needs `import` on each. */
export const IMPORT_ROUTE = 'POST /api/apps/:app/imports/:mapping'

const REPORT_ROUTES = new Set([
  'GET /api/apps/:app/reports/:key',
  'GET /api/apps/:app/reports/:key/run',
])

const OPEN_ROUTES = new Set(['GET /api/settings', 'GET /api/apps'])

const APP_ROUTES = new Set([
  'GET /api/apps/:app',
  'GET /api/apps/:app/imports',
  'GET /api/apps/:app/openapi.json',
])

/**
 * Whether a token with these scopes may call `method route`
 * (`importForms`: the forms the named import mapping writes, for imports):
 * tokenMayCall([{ app: 'a', form: 'invoice', actions: ['read'] }],
 *   'GET', '/api/apps/:app/forms/:form/records', { app: 'a', form: 'invoice' }) → true
 */
export function tokenMayCall(
  scopes: AccessScope[],
  method: string,
  route: string | undefined,
  params: Params,
  importForms: string[] = [],
): boolean {
  const key = routeKey(method, route)
  if (OPEN_ROUTES.has(key)) return true
  const app = params.app ?? ''
  if (APP_ROUTES.has(key)) return scopeTouchesApp(scopes, app)
  if (key === IMPORT_ROUTE) {
    return importForms.length > 0 &&
      importForms.every((form) => scopeAllows(scopes, { app, form, action: 'import' }))
  }

  const action = FORM_ROUTES[key]
  if (action) return scopeAllows(scopes, { app, form: params.form ?? '', action })
  if (REPORT_ROUTES.has(key)) return scopeAllows(scopes, { app, report: params.key ?? '', action: 'run' })
  return false
}

/** "GET /api/apps/:app": a request's method (HEAD as GET) and route pattern. */
export function routeKey(method: string, route: string | undefined): string {
  return `${method === 'HEAD' ? 'GET' : method} ${route ?? ''}`
}
