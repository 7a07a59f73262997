#!/usr/bin/env node
// Runs a TypeScript benchmark as one bundled ES module under plain Node, so
// that the memory it prints is the product's and not the TypeScript
// loader's (tsx compiling the workspace takes about 80 MB of its own).
//
//   node scripts/bench-bundled.mjs packages/importer/bench/import-bench.ts
//
import { build } from 'esbuild'
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

const entry = process.argv[2]
if (!entry) {
  console.error('usage: node scripts/bench-bundled.mjs <benchmark.ts> [node options…]')
  process.exit(2)
}

const source = resolve(entry)
const outDir = join(dirname(source), '.bundled')
const outFile = join(outDir, basename(source).replace(/\.ts$/, '.mjs'))
mkdirSync(outDir, { recursive: true })

await build({
  entryPoints: [source],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // Everything is bundled except PGlite (it loads its WASM next to its own
  // module; benchmarks on PostgreSQL never import it) and pg's optional
  // native binding. CommonJS dependencies get a require of their own.
  external: ['@electric-sql/pglite', 'pg-native'],
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
})

const child = spawn(process.execPath, [...process.argv.slice(3), outFile], { stdio: 'inherit' })
child.on('exit', (code, signal) => {
  rmSync(outDir, { recursive: true, force: true })
  process.exit(signal ? 1 : code ?? 1)
})
