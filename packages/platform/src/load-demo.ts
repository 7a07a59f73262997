import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { TesseraError, type Actor } from '@tessera/core'
import type { ImportResult } from '@tessera/importer'
import type { Platform } from './platform.js'

/**
 * A template may ship a demo-data generator: template.json's "demo" names a
 * module, the function it exports and a default size. The function writes
 * CSV files for the template's own import mappings and returns them in
 * import order; this loads them through the ordinary importer.
 */
interface DemoSection {
  generator: string
  export: string
  size: number
}

type Generator = (options: { outDir: string; size: number; end: string; seed?: number }) =>
  Promise<{ files: { mapping: string; path: string; rows: number }[] }>

export interface DemoOptions {
  outDir: string
  size?: number
  /** Last day of the generated data; default today in the company time zone. */
  end?: string
  seed?: number
  actor: Actor
  onProgress?: (message: string) => void
}

export async function loadDemo(platform: Platform, templateDir: string, options: DemoOptions): Promise<ImportResult[]> {
  const manifest = JSON.parse(await readFile(join(templateDir, 'template.json'), 'utf8'))
  const demo = manifest.demo as DemoSection | undefined
  if (!demo) throw new TesseraError('metadata.invalid', `template ${templateDir} ships no demo data generator`)
  const module = await import(pathToFileURL(resolve(templateDir, demo.generator)).href)
  const generate = module[demo.export] as Generator | undefined
  if (typeof generate !== 'function') {
    throw new TesseraError('metadata.invalid', `${demo.generator} does not export a function "${demo.export}"`)
  }
  const size = options.size ?? demo.size
  const end = options.end ?? (await platform.today())
  options.onProgress?.(`generating ${size} demo records up to ${end}`)
  const { files } = await generate({ outDir: options.outDir, size, end, seed: options.seed })

  const results: ImportResult[] = []
  for (const file of files) {
    options.onProgress?.(`importing ${file.rows} rows through ${file.mapping}`)
    const result = await platform.runImport(manifest.app.key, file.mapping, file.path, { actor: options.actor })
    if (result.status !== 'succeeded') {
      throw new TesseraError('import.rows_rejected', `demo file ${file.path} was rejected: ${result.errors.slice(0, 3).map((e) => `line ${e.line} ${e.column}: ${e.message}`).join('; ')}`)
    }
    results.push(result)
  }
  return results
}
