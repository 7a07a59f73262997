#!/usr/bin/env node
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { addDays, isIsoDate, isTesseraError, SYSTEM_ACTOR, type Actor, type Locale } from '@tessera/core'
import { Identity, SECRET_KEY_ENV } from '@tessera/identity'
import { loadDemo, openPlatform, readPeriodClose, setPeriodClose, type Platform } from '@tessera/platform'
import { buildServer } from '@tessera/server'
import { backupDatabase, recomputeDerived, refillLimitTotals, restoreDatabase, safeUrl, withRetries } from '@tessera/store'
import { databaseOptions, dataDir } from './options.js'
import { formatTable } from './print-table.js'
import { localSecretKey } from './secret-key-file.js'
import { userCommand } from './user-command.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
// `npm run` starts scripts in the repository's root; files and folders named
// on the command line (and ./data) are read from where the command was typed.
if (process.env.INIT_CWD && existsSync(process.env.INIT_CWD)) process.chdir(process.env.INIT_CWD)
const CLI_ACTOR: Actor = { id: 'cli', name: 'tessera cli', admin: true }

const USAGE = `tessera — a metadata-driven platform for business apps

Usage: tessera <command> [options]

Commands
  start                        install the bundled template, load demo data while the app
                               holds no records, and serve the web app (the README's first command)
  serve                        serve the API and web app
  install <template>           install or upgrade a template (a name under templates/ or a folder)
  import <app>/<mapping> FILE  import a CSV file through an import mapping of an app
  report <app>/<report>        print a report (--as-of YYYY-MM-DD, --param key=value, --json)
  demo <template>              generate a demo ledger (--size N, --end YYYY-MM-DD) and import it
                               into an app holding no records (--force: into one that does,
                               overwriting records of the same codes)
  user create <username>       create a user (--admin, --display-name NAME, --role app/role,
                               --department ID); the password is asked for, or read with
                               --password-stdin
  user reset-password <name>   set a new password (ends the user's sessions)
  user list                    list the users
  totals [app]                 compute the running totals of cross-record constraints afresh
  recompute [app]              compute every stored rollup, formula and constraint total afresh
                               from the records (after rows were changed with SQL)
  close [YYYY-MM-DD]           close the accounting periods through a date: records dated on or
                               before it (on forms with a period field) can no longer be created,
                               changed or deleted; without a date, print the close; --reopen
                               opens every period again (a date earlier than the close reopens
                               the days after it)
  backup FILE                  write the whole database to one file (a PGlite tarball or a
                               pg_dump archive); stop the server first on embedded PGlite
  restore FILE                 restore a backup into a new --data-dir or an empty database

Options
  --data-dir DIR        embedded database folder (default ./data, or TESSERA_DATA_DIR)
  --database-url URL    a PostgreSQL server instead (or DATABASE_URL)
  --port N --host H     where serve and start listen (default 127.0.0.1:3000, or PORT)
  --locale zh-CN|en     language of messages and labels (default zh-CN)
  --json                machine-readable output
`

function readArgs() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        'as-of': { type: 'string' },
        param: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        locale: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        size: { type: 'string' },
        end: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        admin: { type: 'boolean' },
        'display-name': { type: 'string' },
        department: { type: 'string' },
        role: { type: 'string', multiple: true },
        'password-stdin': { type: 'boolean' },
        force: { type: 'boolean' },
        reopen: { type: 'boolean' },
      },
    })
  } catch (error) {
    console.error(`tessera: ${(error as Error).message}\n\n${USAGE}`)
    process.exit(2)
  }
}

const { values: flags, positionals } = readArgs()

if (flags.locale !== undefined && flags.locale !== 'en' && flags.locale !== 'zh-CN') {
  console.error(`tessera: --locale takes zh-CN or en, got ${JSON.stringify(flags.locale)}`)
  process.exit(2)
}

/** --size as a whole number of invoices, or undefined for the template's default. */
/** A whole number as typed: digits only (Number() would also take " 0x10 " or "1e3"). */
function wholeNumber(text: string): number {
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN
}

function sizeFlag(): number | undefined {
  if (flags.size === undefined) return undefined
  const size = wholeNumber(flags.size)
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000) fail(`--size takes a whole number from 1 to 1000000, got ${JSON.stringify(flags.size)}`)
  return size
}

function endFlag(): string | undefined {
  if (flags.end !== undefined && !isIsoDate(flags.end)) fail(`--end takes a date as YYYY-MM-DD, got ${JSON.stringify(flags.end)}`)
  return flags.end
}

function seedFlag(): number | undefined {
  if (flags.seed === undefined) return undefined
  const seed = wholeNumber(flags.seed)
  if (!Number.isSafeInteger(seed)) fail(`--seed takes a whole number, got ${JSON.stringify(flags.seed)}`)
  return seed
}

/** --port, else PORT, else 3000: a whole number from 1 to 65535. */
function portFlag(): number {
  const given = flags.port ?? process.env.PORT
  if (given === undefined || given === '') return 3000
  const port = wholeNumber(given)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`${flags.port === undefined ? 'PORT' : '--port'} takes a whole number from 1 to 65535, got ${JSON.stringify(given)}`)
  }
  return port
}

const locale: Locale = flags.locale === 'en' ? 'en' : 'zh-CN'

function templateDir(name: string): string {
  const dir = existsSync(name) ? resolve(name) : join(ROOT, 'templates', name)
  if (!existsSync(join(dir, 'template.json'))) fail(`no template at ${dir} (expected a template.json there)`)
  return dir
}

function splitRef(ref: string | undefined, what: string): [string, string] {
  const [app, key] = (ref ?? '').split('/')
  if (!app || !key) fail(`expected <app>/<${what}>, e.g. customer-settlement/${what === 'report' ? 'aging' : 'ledger'}; got ${JSON.stringify(ref ?? '')}`)
  return [app, key]
}

function fail(message: string): never {
  console.error(`tessera: ${message}`)
  process.exit(2)
}

function print(value: unknown, human: () => string) {
  console.log(flags.json ? JSON.stringify(value, null, 2) : human())
}

async function withPlatform<T>(fn: (platform: Platform) => Promise<T>): Promise<T> {
  const platform = await openPlatform(databaseOptions(flags))
  try {
    return await fn(platform)
  } finally {
    await platform.close()
  }
}

/** What an upgrade left as the app's people changed it, and what of the template no longer fit. */
function installNotes(result: Awaited<ReturnType<Platform['installTemplate']>>): string[] {
  return [
    ...result.kept.map((one) => `kept as changed in the app (by ${one.by}): ${one.kind} ${one.key}`),
    ...result.skipped.map((one) => `not installed from the template, it does not fit what was kept: ${one.kind} ${one.key}: ${one.problem}`),
  ]
}

async function install(platform: Platform, name: string) {
  const result = await platform.installTemplate(templateDir(name), SYSTEM_ACTOR)
  return result
}

async function serve(platform: Platform) {
  // On the embedded database a key of its own in the data folder, unless one is set.
  const secretKey = process.env[SECRET_KEY_ENV] || platform.database.kind !== 'pglite'
    ? undefined
    : localSecretKey(join(dataDir(flags), 'secret.key'))
  const server = await buildServer(platform, {
    webRoot: join(ROOT, 'apps/web/dist'),
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    filesDir: process.env.TESSERA_FILES_DIR ?? join(dataDir(flags), 'files'),
    ...(secretKey ? { identityOptions: { secretKey } } : {}),
  })
  const host = flags.host ?? '127.0.0.1'
  const port = portFlag()
  try {
    await server.listen({ host, port })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    await platform.close()
    fail(`port ${port} on ${host} is already in use; stop what runs there or pass --port N`)
  }
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`
  console.log(`\nTessera is running on ${platform.database.kind} (${platform.database.location}).\nOpen ${url}\n`)
  if (await new Identity(platform.database).setupNeeded()) {
    console.log('First run: the page asks you to create the administrator account.\n')
  }
  const stop = async () => {
    await server.close()
    await platform.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

async function main() {
  const [command, ...args] = positionals
  if (!command || flags.help || command === 'help') {
    console.log(USAGE)
    return
  }
  switch (command) {
    case 'install': {
      const name = args[0] ?? fail('install needs a template name, e.g. customer-settlement')
      const result = await withPlatform((p) => install(p, name))
      return print(result, () => [
        `installed app ${result.app}: ${result.published.length} form version(s) published, ${result.reports} reports, ${result.dashboards} dashboards, ${result.imports} import mappings, ${result.roles} roles`,
        ...installNotes(result),
      ].join('\n'))
    }
    case 'import': {
      const [app, mapping] = splitRef(args[0], 'mapping')
      const file = args[1] ?? fail('import needs a file: tessera import <app>/<mapping> FILE')
      if (!existsSync(file)) fail(`no file at ${resolve(file)}`)
      const result = await withPlatform((p) => p.runImport(app, mapping, resolve(file), { actor: CLI_ACTOR, locale }))
      print(result, () => {
        const counts = Object.entries(result.forms).map(([form, c]) => `  ${form}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`)
        const errors = result.errors.map((e) => `  line ${e.line}, ${e.column}: ${e.message}`)
        return result.status === 'succeeded'
          ? [`imported ${result.rows} rows of ${result.file} (run ${result.runId})`, ...counts].join('\n')
          : [`rejected: ${result.errorCount} problem(s) in ${result.rows} rows of ${result.file}; nothing was written`, ...errors].join('\n')
      })
      if (result.status !== 'succeeded') process.exitCode = 1
      return
    }
    case 'report': {
      const [app, report] = splitRef(args[0], 'report')
      const params: Record<string, string> = {}
      if (flags['as-of']) params.asOf = flags['as-of']
      for (const pair of flags.param ?? []) {
        const at = pair.indexOf('=')
        if (at < 1) fail(`--param takes key=value, got ${JSON.stringify(pair)}`)
        const key = pair.slice(0, at)
        if (Object.hasOwn(params, key)) fail(`${key} is given twice (${key === 'asOf' ? '--as-of and ' : ''}--param ${key}=…); give it once`)
        params[key] = pair.slice(at + 1)
      }
      const result = await withPlatform((p) => p.runReport(CLI_ACTOR, app, report, params, locale))
      return print(result, () => {
        const head = Object.entries(result.params).map(([k, v]) => `${k} = ${paramText(v)}`).join(', ')
        return `${app}/${report}  (${head})\n\n${formatTable(result.columns, result.rows, locale)}`
      })
    }
    case 'demo': {
      const dir = templateDir(args[0] ?? fail('demo needs a template name, e.g. customer-settlement'))
      // Checked before the database is opened, so a mistyped flag writes nothing.
      const demo = { size: sizeFlag(), end: endFlag(), seed: seedFlag() }
      const results = await withPlatform(async (p) => {
        const installed = await p.installTemplate(dir, SYSTEM_ACTOR)
        // Demo rows are upserted by code: into an app with records they would overwrite those of the same codes.
        if (flags.force !== true && await p.holdsRecords(installed.app)) {
          fail(`the app ${installed.app} already holds records, and demo data would overwrite those with the same codes; ` +
            'load it into a new --data-dir (or an empty database), or pass --force to import it anyway')
        }
        return loadDemo(p, dir, {
          outDir: join(dataDir(flags), 'demo'), actor: CLI_ACTOR,
          ...demo, onProgress: (m) => console.error(m),
        })
      })
      return print(results, () => results.map((r) => `${r.mapping}: ${r.rows} rows`).join('\n'))
    }
    case 'user': {
      // Checked before the database is opened, so a mistyped flag writes nothing.
      if (flags.department !== undefined && !(wholeNumber(flags.department) >= 1)) {
        fail(`--department takes a department's id (a whole number from 1), got ${JSON.stringify(flags.department)}`)
      }
      const result = await withPlatform((p) => userCommand(p, CLI_ACTOR, args, flags, locale))
      return print(result.json, () => result.text)
    }
    case 'totals': {
      if (args.length > 1) fail(`totals takes at most one app, got ${args.join(' ')}`)
      const done = await withPlatform((p) => withRetries(() => p.database.transaction((trx) => refillLimitTotals(trx, args[0])), BUSY))
      return print(done, () => done.length === 0
        ? 'no constraint to refill'
        : [`refilled ${done.length} constraint total(s):`, ...done.map((one) => `  ${one}`)].join('\n'))
    }
    case 'recompute': {
      if (args.length > 1) fail(`recompute takes at most one app, got ${args.join(' ')}`)
      const done = await withPlatform((p) => withRetries(() => p.database.transaction((trx) => recomputeDerived(trx, args[0])), BUSY))
      return print(done, () => [
        `recomputed ${done.forms.length} form(s):`,
        ...done.forms.map((one) => `  ${one.form}: ${one.rollups} rollup(s), ${one.formulas} formula(s)`),
        `refilled ${done.totals.length} constraint total(s)${done.totals.length > 0 ? ':' : ''}`,
        ...done.totals.map((one) => `  ${one}`),
        ...done.overLimit.map((one) =>
          `warning: ${one.records} record(s) now over the limit of ${one.constraint} (rows changed around the engine broke it)`),
        ...done.formulaFailures.map((one) =>
          `warning: ${one.records} record(s) of ${one.form} have a formula that could not be computed (left empty)`),
      ].join('\n'))
    }
    case 'close': {
      if (args.length > 1) fail(`close takes at most one date, got ${args.join(' ')}`)
      if (flags.reopen === true && args.length > 0) fail('give a date or --reopen, not both')
      if (args.length === 0 && flags.reopen !== true) {
        const close = await withPlatform((p) => readPeriodClose(p))
        return print(close, () => close.closedThrough ? `periods closed through ${close.closedThrough}` : 'no period is closed')
      }
      const through = flags.reopen === true ? null : args[0]
      const done = await withPlatform((p) => setPeriodClose(p, CLI_ACTOR, through, { locale }))
      return print(done, () => done.closedThrough === done.previous
        ? `unchanged: ${done.closedThrough ? `periods closed through ${done.closedThrough}` : 'no period is closed'}`
        : done.closedThrough
          ? done.previous !== null && done.closedThrough < done.previous
            ? `periods closed through ${done.closedThrough}; ${reopenedDays(addDays(done.closedThrough, 1), done.previous)} reopened (they were closed through ${done.previous})`
            : `periods closed through ${done.closedThrough} (before: ${done.previous ?? 'none closed'})`
          : `every period reopened (they were closed through ${done.previous})`)
    }
    case 'backup': {
      const file = args[0] ?? fail('backup needs a file: tessera backup FILE')
      const result = await backupDatabase(databaseOptions(flags), file)
      return print(result, () => `backed up the ${result.kind} database to ${result.file} (${result.bytes} bytes)`)
    }
    case 'restore': {
      const file = args[0] ?? fail('restore needs a file: tessera restore FILE')
      const result = await restoreDatabase(databaseOptions(flags), file)
      return print(result, () => `restored ${result.file} into the ${result.kind} database`)
    }
    case 'serve': {
      portFlag()
      const platform = await openPlatform(databaseOptions(flags))
      return serve(platform)
    }
    case 'start': {
      const size = sizeFlag()
      portFlag()
      const platform = await openPlatform(databaseOptions(flags))
      const dir = templateDir('customer-settlement')
      const installed = await platform.installTemplate(dir, SYSTEM_ACTOR)
      for (const note of installNotes(installed)) console.log(note)
      // Sample data only into an app with no records at all: it is upserted by key and would
      // overwrite records of the same codes entered since.
      if (!(await platform.holdsRecords(installed.app))) {
        await loadDemo(platform, dir, {
          outDir: join(dataDir(flags), 'demo'), actor: CLI_ACTOR,
          size, onProgress: (m) => console.log(m),
        })
      }
      return serve(platform)
    }
    default:
      fail(`unknown command "${command}"\n\n${USAGE}`)
  }
}

main().catch((error) => {
  if (isTesseraError(error)) {
    // A message worded in English only is printed as it is, not behind a Chinese heading.
    const message = error.messages[locale] ?? error.message
    console.error(`tessera: ${message}`)
    for (const issue of error.issues) {
      if (!message.includes(issue.message)) console.error(`  ${issue.field ?? ''}: ${issue.message}`)
    }
    process.exit(1)
  }
  const plain = plainFailure(error)
  if (plain) {
    console.error(`tessera: ${plain}`)
    process.exit(1)
  }
  console.error(error)
  process.exit(1)
})

/**
 * The failures an operator meets without a bug behind them (the database
 * cannot be reached, a folder or file is not there or not writable), as
 * one line instead of a stack.
 */
function plainFailure(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined
  const code = (error as NodeJS.ErrnoException).code
  const url = flags['database-url'] ?? process.env.DATABASE_URL
  const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '3D000', '28P01', '28000']
  if (url && code && unreachable.includes(code)) {
    return `cannot use the PostgreSQL database at ${safeUrl(url)}: ${error.message}` +
      (code === '3D000' ? ' (create it first: createdb)' : '')
  }
  const { path, syscall } = error as NodeJS.ErrnoException
  if (path && syscall === 'mkdir' && (code === 'EEXIST' || code === 'ENOTDIR')) {
    return `cannot make the folder ${path}: a file is in its way`
  }
  if (path && (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')) return `no permission to write ${path} (${code})`
  if (path && code === 'ENOSPC') return `the disk is full (writing ${path})`
  if (path && code === 'ENOENT') return `${path} does not exist`
  const files = ['ENOTDIR', 'EISDIR', 'EEXIST']
  if (code && files.includes(code)) return error.message
  return undefined
}

/** A report param as given back: a period ({ from, to }) as from..to, a value as it is. */
function paramText(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const { from, to } = value as { from?: unknown; to?: unknown }
    if (typeof from === 'string' && typeof to === 'string') return `${from}..${to}`
    return JSON.stringify(value)
  }
  return String(value)
}

/**
 * What `totals` and `recompute` say when writers kept colliding with them
 * (a deadlock undoes the whole run, which is tried three times).
 */
const BUSY = {
  en: 'the app was being written by others at the same moment three times over and nothing was changed; run it again in a quieter moment',
  zh: '三次都与正在进行的写入发生冲突，本次未改动任何内容；请在较空闲时重新运行',
}

/** The days a close moved back opens again: one day, or from..to. */
function reopenedDays(from: string, to: string): string {
  return from === to ? from : `${from}..${to}`
}
