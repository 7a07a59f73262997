import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isTesseraError, type FieldIssue } from '@tessera/core'
import { checkFormDefinition } from '../src/index.js'

// Kept out of src/ because it reads files with node:fs; src/ must stay
// loadable in the browser.

function issuesOf(def: unknown, forms: string[]): FieldIssue[] {
  try {
    checkFormDefinition(def, { forms })
  } catch (error) {
    if (isTesseraError(error)) return error.issues
    throw error
  }
  return []
}

describe('the customer-settlement template', () => {
  it('has forms that all pass checkFormDefinition', () => {
    const folder = new URL('../../../templates/customer-settlement/forms/', import.meta.url)
    const files = readdirSync(folder).filter((name) => name.endsWith('.json'))
    const forms = files.map((name) => name.replace(/\.json$/, ''))
    expect(files.length).toBeGreaterThan(0)

    for (const file of files) {
      const def = JSON.parse(readFileSync(new URL(file, folder), 'utf8'))
      expect([file, issuesOf(def, forms)]).toEqual([file, []])
    }
  })
})
