import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { Database, openDatabase } from './database.js'
import { migrate } from './migrations.js'

/**
 * Test support: every database test runs against embedded PGlite and real
 * PostgreSQL. `open()` gives a fresh, migrated database; for PostgreSQL a new
 * database is created on the server named by TESSERA_TEST_PG (default
 * postgres://postgres@127.0.0.1:5432/test) and dropped again by `close()`.
 */
export interface DatabaseSuite {
  name: 'pglite' | 'postgres'
  open(): Promise<Database>
}

export const TEST_PG_URL = process.env.TESSERA_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'

export function databaseSuites(): DatabaseSuite[] {
  return [
    { name: 'pglite', open: openTestPGlite },
    { name: 'postgres', open: openTestPostgres },
  ]
}

async function openTestPGlite(): Promise<Database> {
  const database = await openDatabase()
  await migrate(database)
  return database
}

/** Creates a throwaway database on the test server and opens it. */
export async function createTestPostgresUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tessera_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_PG_URL })
  await admin.connect()
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(TEST_PG_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_PG_URL })
      await client.connect()
      try {
        await client.query(`drop database if exists ${name} with (force)`)
      } finally {
        await client.end()
      }
    },
  }
}

async function openTestPostgres(): Promise<Database> {
  const { url, drop } = await createTestPostgresUrl()
  const database = await openDatabase({ url, poolSize: 4 })
  await migrate(database)
  const close = database.close.bind(database)
  database.close = async () => {
    await close()
    await drop()
  }
  return database
}
