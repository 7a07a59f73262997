import { sql } from 'kysely'
import { notFound, requireAdmin, TesseraError, type Actor } from '@tessera/core'
import type { Database, Executor } from '@tessera/store'
import { writeAuthAudit } from './auth-audit.js'
import type { AuthContext, Clock } from './auth-context.js'

/**
 * A department in the tree. `path` lists the ids from the root down,
 * "/1/4/", so "this department and everything below it" is a prefix test:
 * `path like '/1/%'`.
 */
export interface Department {
  id: number
  name: string
  parentId: number | null
  path: string
}

interface DepartmentRow {
  id: number
  name: string
  parent_id: number | null
  path: string
}

function toDepartment(row: DepartmentRow): Department {
  return { id: row.id, name: row.name, parentId: row.parent_id, path: row.path }
}

function cleanName(name: unknown): string {
  const text = typeof name === 'string' ? name.trim() : ''
  if (text.length < 1 || text.length > 200) {
    const en = `a department name must be 1 to 200 characters, got ${JSON.stringify(name)}`
    throw new TesseraError('validation.failed', en, {
      issues: [{ field: 'name', rule: 'required', message: 'a department needs a name of 1 to 200 characters' }],
      messages: { en, 'zh-CN': `部门名称须为 1 到 200 个字符，收到 ${JSON.stringify(name)}` },
    })
  }
  if (text.includes('/')) {
    // Imports and pickers name a department by its path: 华东/销售部.
    const en = `a department name cannot hold "/", which separates departments in a path such as 华东/销售部; got ${JSON.stringify(text)}`
    throw new TesseraError('validation.failed', en, {
      issues: [{ field: 'name', rule: 'pattern', message: 'cannot hold "/"', received: text }],
      messages: { en, 'zh-CN': `部门名称不能含有「/」（它在 华东/销售部 这样的路径中分隔上下级部门），收到 ${JSON.stringify(text)}` },
    })
  }
  return text
}

/** The department tree: list, create, rename and move (with its subtree). */
export class Departments {
  readonly #database: Database
  readonly #now: Clock
  readonly #moved: () => void

  /** `moved` is told after a department was renamed or moved (users' actors carry its path). */
  constructor(database: Database, now: Clock, moved: () => void = () => {}) {
    this.#database = database
    this.#now = now
    this.#moved = moved
  }

  /** Every department, parents before children (ordered by path). */
  async list(db: Executor = this.#database.db): Promise<Department[]> {
    const { rows } = await sql<DepartmentRow>`
      select id, name, parent_id, path from tessera.department order by path`.execute(db)
    return rows.map(toDepartment)
  }

  async find(id: number, db: Executor = this.#database.db): Promise<Department | undefined> {
    const { rows } = await sql<DepartmentRow>`
      select id, name, parent_id, path from tessera.department where id = ${id}`.execute(db)
    return rows[0] && toDepartment(rows[0])
  }

  async get(id: number, db: Executor = this.#database.db): Promise<Department> {
    const found = await this.find(id, db)
    if (!found) throw notFound('department', id)
    return found
  }

  async create(
    actor: Actor,
    input: { name: string; parentId?: number | null },
    context: AuthContext = {},
  ): Promise<Department> {
    requireAdmin(actor, 'create departments')
    const name = cleanName(input.name)

    return this.#database.transaction(async (trx) => {
      const parent = input.parentId == null ? undefined : await this.get(input.parentId, trx)
      // The path holds the new row's own id, so the id is drawn first.
      const { rows } = await sql<{ id: number }>`
        select nextval(pg_get_serial_sequence('tessera.department', 'id'))::bigint as id`
        .execute(trx)
      const id = rows[0].id
      const path = `${parent?.path ?? '/'}${id}/`
      await this.#checkSiblingName(trx, parent?.id ?? null, name)
      await sql`
        insert into tessera.department (id, name, parent_id, path, created_at)
        values (${id}, ${name}, ${parent?.id ?? null}, ${path}, ${this.#now()})`.execute(trx)

      const created = { id, name, parentId: parent?.id ?? null, path }
      await writeAuthAudit(trx, {
        actor: actor.id, action: 'department.created', context, at: this.#now(), after: created,
      })
      return created
    })
  }

  /** Renames a department and/or moves it (its whole subtree follows). */
  async update(
    actor: Actor,
    id: number,
    changes: { name?: string; parentId?: number | null },
    context: AuthContext = {},
  ): Promise<Department> {
    requireAdmin(actor, 'change departments')

    try {
      return await this.#update(actor, id, changes, context)
    } finally {
      this.#moved()
    }
  }

  async #update(
    actor: Actor,
    id: number,
    changes: { name?: string; parentId?: number | null },
    context: AuthContext,
  ): Promise<Department> {
    return this.#database.transaction(async (trx) => {
      const before = await this.get(id, trx)
      const name = changes.name === undefined ? before.name : cleanName(changes.name)
      const parentId = changes.parentId === undefined ? before.parentId : changes.parentId
      const parent = parentId === null ? undefined : await this.get(parentId, trx)
      if (parent && parent.path.startsWith(before.path)) {
        const en = `department "${before.name}" cannot move under "${parent.name}", which is inside it`
        throw new TesseraError('request.invalid', en, {
          details: { department: id, parent: parent.id },
          issues: [{ field: 'parentId', rule: 'cycle', message: en, received: parent.id }],
          messages: { 'zh-CN': `部门「${before.name}」不能移到其下属部门「${parent.name}」之下`, en },
        })
      }
      if (name !== before.name || parentId !== before.parentId) {
        await this.#checkSiblingName(trx, parentId, name, id)
      }

      const path = `${parent?.path ?? '/'}${id}/`
      await sql`
        update tessera.department set name = ${name}, parent_id = ${parentId} where id = ${id}`
        .execute(trx)
      if (path !== before.path) {
        await sql`
          update tessera.department
          set path = ${path} || substr(path, ${before.path.length + 1})
          where path like ${before.path + '%'}`.execute(trx)
      }

      const after = { id, name, parentId, path }
      await writeAuthAudit(trx, {
        actor: actor.id, action: 'department.updated', context, at: this.#now(), before, after,
      })
      return after
    })
  }

  async #checkSiblingName(db: Executor, parentId: number | null, name: string, except = 0) {
    const { rows } = await sql<{ id: number }>`
      select id from tessera.department
      where parent_id is not distinct from ${parentId} and name = ${name} and id <> ${except}`
      .execute(db)
    if (rows.length > 0) {
      const en = `a department named "${name}" already exists there`
      throw new TesseraError('conflict.unique', en, {
        issues: [{ field: 'name', rule: 'unique', message: `"${name}" already exists under the same parent` }],
        messages: { 'zh-CN': `同一上级部门下已有名为「${name}」的部门`, en },
      })
    }
  }
}
