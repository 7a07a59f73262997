import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor } from '@tessera/core'
import type { RowScope } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { loadDemo, Platform } from '../src/index.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'

// One read path: a row scope given to the platform limits lists, pickers and
// reports alike. Here an actor with the role "east" sees only customers of
// the 华东 region and the invoices of those customers.
const scope: RowScope = (actor, form, alias) => {
  if (!actor.roles?.includes('east')) return undefined
  const region = sql`'华东'`
  if (form.key === 'customer') return sql<boolean>`${sql.ref(`${alias}.region`)} = ${region}`
  if (form.key === 'invoice') {
    return sql<boolean>`${sql.ref(`${alias}.customer_id`)} in
      (select id from customer_settlement.customer where region = ${region})`
  }
  return undefined
}

describe.each(databaseSuites())('row scope through every read on $name', (suite) => {
  let platform: Platform
  const east: Actor = { id: 'east-1', roles: ['east'] }

  beforeAll(async () => {
    platform = new Platform(await suite.open(), { scope })
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-scope-')), size: 120, end: '2026-06-30', actor: SYSTEM_ACTOR,
    })
  })
  afterAll(() => platform?.close())

  it('limits lists and pickers', async () => {
    const all = await platform.records.list(SYSTEM_ACTOR, APP, 'customer', { pageSize: 500 })
    const mine = await platform.records.list(east, APP, 'customer', { pageSize: 500 })
    expect(mine.total).toBeGreaterThan(0)
    expect(mine.total).toBeLessThan(all.total)
    expect(new Set(mine.items.map((c) => c.values.region))).toEqual(new Set(['华东']))
    const options = await platform.records.options(east, APP, 'customer', undefined, 100)
    expect(options.map((o) => o.id).sort()).toEqual(mine.items.map((c) => c.id).sort())
  })

  it('limits reports the same way', async () => {
    const asOf = '2026-06-30'
    const everything = await platform.runReport(SYSTEM_ACTOR, APP, 'receivables_summary', { asOf })
    const scoped = await platform.runReport(east, APP, 'receivables_summary', { asOf })
    const { rows } = await sql<{ open: string }>`
      with alloc as (
        select invoice_id, sum(amount) as s from customer_settlement.allocation
        where date <= ${asOf}::date group by invoice_id)
      select coalesce(sum(i.amount - coalesce(a.s, 0)), 0)::numeric(20, 2)::text as open
      from customer_settlement.invoice i
      join customer_settlement.customer c on c.id = i.customer_id
      left join alloc a on a.invoice_id = i.id
      where c.region = '华东' and i.invoice_date <= ${asOf}::date
        and i.amount - coalesce(a.s, 0) > 0`.execute(platform.database.db)
    expect(scoped.rows[0].open).toBe(rows[0].open)
    expect(scoped.rows[0].open).not.toBe(everything.rows[0].open)
  })
})
