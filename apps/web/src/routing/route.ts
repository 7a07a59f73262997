/**
 * The app's places, kept in the URL hash so the server only ever serves
 * index.html:
 *
 *   #/                                   home (the first app's first dashboard)
 *   #/apps/:app                          an app's home
 *   #/apps/:app/dashboards/:key?asOf=…   a dashboard and its parameters
 *   #/apps/:app/reports/:key?asOf=…      a report and its parameters
 *   #/apps/:app/builder?dashboard=…      the widget builder
 *   #/apps/:app/form-builder?new=1       the app's form designs (and a new form)
 *   #/apps/:app/form-builder/:form       the form builder
 *   #/apps/:app/forms/:form?page=2&sort=-amount&q=…
 *   #/apps/:app/forms/:form/new
 *   #/apps/:app/forms/:form/:id
 *   #/admin/:page                        users, departments, tokens and other admin pages
 *
 * parseRoute(routeHref(r)) gives r back for every route.
 */
export type RouteQuery = Record<string, string>

export type Route =
  | { name: 'home'; query?: RouteQuery }
  | { name: 'app'; app: string; query?: RouteQuery }
  | { name: 'dashboard'; app: string; key: string; query?: RouteQuery }
  | { name: 'report'; app: string; key: string; query?: RouteQuery }
  | { name: 'builder'; app: string; query?: RouteQuery }
  | { name: 'form-designs'; app: string; query?: RouteQuery }
  | { name: 'form-builder'; app: string; form: string; query?: RouteQuery }
  | { name: 'list'; app: string; form: string; query?: RouteQuery }
  | { name: 'new'; app: string; form: string; query?: RouteQuery }
  | { name: 'record'; app: string; form: string; id: number; query?: RouteQuery }
  | { name: 'admin'; page: string; query?: RouteQuery }
  | { name: 'not-found'; path: string; query?: RouteQuery }

const RECORD_ID = /^[1-9]\d{0,15}$/

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/** Reads a location hash such as "#/apps/crm/forms/invoice/12?tab=1". */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '')
  const mark = text.indexOf('?')
  const path = mark < 0 ? text : text.slice(0, mark)
  const query = Object.fromEntries(new URLSearchParams(mark < 0 ? '' : text.slice(mark + 1)))

  const raw = path.split('/').filter((segment) => segment !== '')
  const parts = raw.map(decode)
  if (parts.some((part) => part === undefined)) return { name: 'not-found', path, query }
  const [root, app, section, key, extra, ...rest] = parts as string[]

  if (raw.length === 0) return { name: 'home', query }
  if (root === 'admin' && app !== undefined && section === undefined) {
    return { name: 'admin', page: app, query }
  }
  if (root !== 'apps' || app === undefined || rest.length > 0) {
    return { name: 'not-found', path, query }
  }
  if (section === undefined) return { name: 'app', app, query }

  if (section === 'builder' && key === undefined) return { name: 'builder', app, query }
  if (section === 'form-builder' && extra === undefined) {
    return key === undefined ? { name: 'form-designs', app, query } : { name: 'form-builder', app, form: key, query }
  }
  if (section === 'dashboards' && key !== undefined && extra === undefined) {
    return { name: 'dashboard', app, key, query }
  }
  if (section === 'reports' && key !== undefined && extra === undefined) {
    return { name: 'report', app, key, query }
  }
  if (section !== 'forms' || key === undefined) return { name: 'not-found', path, query }
  if (extra === undefined) return { name: 'list', app, form: key, query }
  if (extra === 'new') return { name: 'new', app, form: key, query }
  if (RECORD_ID.test(extra)) return { name: 'record', app, form: key, id: Number(extra), query }
  return { name: 'not-found', path, query }
}

function pathOf(route: Route): string {
  const enc = encodeURIComponent
  switch (route.name) {
    case 'home':
      return '/'
    case 'app':
      return `/apps/${enc(route.app)}`
    case 'dashboard':
      return `/apps/${enc(route.app)}/dashboards/${enc(route.key)}`
    case 'report':
      return `/apps/${enc(route.app)}/reports/${enc(route.key)}`
    case 'builder':
      return `/apps/${enc(route.app)}/builder`
    case 'form-designs':
      return `/apps/${enc(route.app)}/form-builder`
    case 'form-builder':
      return `/apps/${enc(route.app)}/form-builder/${enc(route.form)}`
    case 'list':
      return `/apps/${enc(route.app)}/forms/${enc(route.form)}`
    case 'new':
      return `/apps/${enc(route.app)}/forms/${enc(route.form)}/new`
    case 'record':
      return `/apps/${enc(route.app)}/forms/${enc(route.form)}/${route.id}`
    case 'admin':
      return `/admin/${enc(route.page)}`
    case 'not-found':
      return route.path
  }
}

/**
 * The href of a route:
 * routeHref({ name: 'new', app: 'crm', form: 'invoice' }) → "#/apps/crm/forms/invoice/new".
 */
export function routeHref(route: Route): string {
  const entries = Object.entries(route.query ?? {}).filter(([, value]) => value !== '')
  const search = new URLSearchParams(entries).toString()
  return '#' + pathOf(route) + (search ? '?' + search : '')
}
