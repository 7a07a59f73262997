import { resolve } from 'node:path'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { openDatabase } from '@tessera/store'
const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${process.env.DBNAME ?? 'bench1m'}`, poolSize: 2 })
const platform = new Platform(database)
const t = Date.now()
console.log(await platform.installTemplate(resolve(import.meta.dirname, '..'), SYSTEM_ACTOR), Date.now() - t)
await platform.close()
