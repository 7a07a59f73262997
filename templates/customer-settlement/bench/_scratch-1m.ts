import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { migrate, openDatabase } from '@tessera/store'
import { generateLedger } from '../tools/generate-ledger.js'
import { loadLedger } from './load-ledger.js'
const SIZE = Number(process.env.BENCH_SIZE ?? 1_000_000)
const name = process.env.DBNAME ?? 'bench1m'
const adm = await openDatabase({ url: 'postgres://postgres@127.0.0.1:5432/postgres', poolSize: 1 })
await sql.raw(`drop database if exists ${name} with (force)`).execute(adm.db); await sql.raw(`create database ${name}`).execute(adm.db); await adm.close()
const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${name}`, poolSize: 4 })
await migrate(database)
const platform = new Platform(database)
await platform.installTemplate(resolve(import.meta.dirname, '..'), SYSTEM_ACTOR)
const dir = mkdtempSync(join(tmpdir(), 'b1m-'))
const t = Date.now()
await generateLedger({ outDir: dir, size: SIZE, end: '2026-06-30', seed: 20_240_601 })
console.log(await loadLedger(database, dir), (Date.now() - t) / 1000)
await platform.close()
