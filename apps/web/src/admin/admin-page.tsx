import type { ComponentType } from 'react'
import { AuditPage } from '../audit/audit-page.js'
import { NotFound } from '../shell/load-state.js'
import { DepartmentsPage } from './departments-page.js'
import { PeriodClosePage } from './period-close-page.js'
import { RolesPage } from './roles-page.js'
import { TokensPage } from './tokens-page.js'
import { UsersPage } from './users-page.js'

/**
 * The pages under #/admin/:page. Add a page here to give it a URL; the
 * server decides who may use it (tokens are everyone's own, the rest are
 * for administrators).
 */
export const ADMIN_PAGES: Record<string, ComponentType> = {
  users: UsersPage,
  departments: DepartmentsPage,
  tokens: TokensPage,
  roles: RolesPage,
  audit: AuditPage,
  periods: PeriodClosePage,
}

export default function AdminPage({ page }: { page: string }) {
  const Page = Object.hasOwn(ADMIN_PAGES, page) ? ADMIN_PAGES[page] : undefined
  return Page ? <Page /> : <NotFound />
}
