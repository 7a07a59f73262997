import { sql } from 'kysely'
import { requireAdmin, TesseraError, type Actor } from '@tessera/core'
import type { Database } from '@tessera/store'
import { writeAuthAudit } from './auth-audit.js'
import type { AuthContext, Clock } from './auth-context.js'
import { openSecret, parseSecretKey, sealSecret } from './secret-box.js'

const SECRET_NAME = /^[a-z][a-z0-9_.-]{0,99}$/

/**
 * Secrets the platform needs to reach other systems (SMTP passwords,
 * webhook keys), encrypted at rest in tessera.secret with the key from
 * TESSERA_SECRET_KEY. Values are written by administrators and read only by
 * the platform itself: there is no call that shows them to a person.
 */
export class Secrets {
  readonly #database: Database
  readonly #now: Clock
  readonly #keyText: string | undefined

  constructor(database: Database, now: Clock, keyText: string | undefined) {
    this.#database = database
    this.#now = now
    this.#keyText = keyText
  }

  async set(actor: Actor, name: string, value: string, context: AuthContext = {}) {
    requireAdmin(actor, 'store secrets')
    checkName(name)
    const sealed = sealSecret(parseSecretKey(this.#keyText), name, value)
    await this.#database.transaction(async (trx) => {
      await sql`
        insert into tessera.secret (key, ciphertext, updated_at)
        values (${name}, ${sealed}, ${this.#now()})
        on conflict (key) do update
        set ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`.execute(trx)
      await writeAuthAudit(trx, {
        actor: actor.id, action: 'secret.set', context, at: this.#now(), details: { secret: name },
      })
    })
  }

  /** The plain value, for the platform's own use; undefined when none is stored. */
  async reveal(name: string): Promise<string | undefined> {
    const { rows } = await sql<{ ciphertext: string }>`
      select ciphertext from tessera.secret where key = ${name}`.execute(this.#database.db)
    if (!rows[0]) return undefined
    return openSecret(parseSecretKey(this.#keyText), name, rows[0].ciphertext)
  }

  /** Names and change times only. */
  async list(actor: Actor): Promise<Array<{ key: string; updatedAt: string }>> {
    requireAdmin(actor, 'list secrets')
    const { rows } = await sql<{ key: string; updated_at: Date }>`
      select key, updated_at from tessera.secret order by key`.execute(this.#database.db)
    return rows.map((row) => ({ key: row.key, updatedAt: row.updated_at.toISOString() }))
  }

  async delete(actor: Actor, name: string, context: AuthContext = {}): Promise<boolean> {
    requireAdmin(actor, 'delete secrets')
    return this.#database.transaction(async (trx) => {
      const result = await sql`delete from tessera.secret where key = ${name}`.execute(trx)
      const deleted = Number(result.numAffectedRows ?? 0) > 0
      if (deleted) {
        await writeAuthAudit(trx, {
          actor: actor.id, action: 'secret.deleted', context, at: this.#now(), details: { secret: name },
        })
      }
      return deleted
    })
  }
}

function checkName(name: string) {
  if (SECRET_NAME.test(name)) return
  throw new TesseraError('validation.failed', `a secret name is lower case letters, digits and . _ -, e.g. "smtp.password"; got ${JSON.stringify(name)}`, {
    issues: [{ field: 'key', rule: 'pattern', message: 'lower case letters, digits and . _ -', received: name }],
  })
}
