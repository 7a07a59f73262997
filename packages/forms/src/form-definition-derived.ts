import { KEY_PATTERN } from '@tessera/core'
import type { DefinitionContext } from './form-definition-rules.js'

type Json = Record<string, unknown>
type Report = (field: string, rule: string, message: string) => void

/** The value types each aggregate reads (a formula's by its result). */
const AGGREGATED_TYPES: Record<string, readonly string[]> = {
  sum: ['number', 'money', 'percent'],
  min: ['number', 'money', 'percent', 'date'],
  max: ['number', 'money', 'percent', 'date'],
}

/**
 * Checks rollups and lookups against the fields of their own form. What
 * lies in another form (a rollup's link and field there, a lookup's field)
 * is checked when the forms are published together.
 */
export function checkDerivedFields(def: Json, context: DefinitionContext, report: Report): void {
  const all = Array.isArray(def.fields) ? def.fields : []
  const fields = all.filter(isRecord)
  all.forEach((field, index) => {
    if (!isRecord(field)) return
    const path = `fields[${index}]`
    if (field.type === 'rollup') checkRollup(field, path, fields, context, report)
    if (field.type === 'lookup') checkLookup(field, path, fields, report)
  })
}

function checkRollup(
  field: Json,
  path: string,
  fields: Json[],
  context: DefinitionContext,
  report: Report,
): void {
  const overLines = field.lines !== undefined
  const overForm = field.form !== undefined || field.link !== undefined
  if (overLines === overForm) {
    const problem = 'a rollup reads either line items ("lines") or another form ("form" and "link")'
    report(path, 'source', problem)
    return
  }
  if (field.agg === 'count' && field.field !== undefined) {
    report(`${path}.field`, 'conflict', 'a count counts rows and aggregates no field')
  }
  if (field.agg !== 'count' && field.field === undefined) {
    report(`${path}.field`, 'required', `a ${String(field.agg)} needs the field it aggregates`)
  }

  if (overForm) {
    if (typeof field.form !== 'string' || typeof field.link !== 'string') {
      report(path, 'source', 'a rollup over another form names both "form" and its "link" field')
    } else if (context.forms && !context.forms.includes(field.form)) {
      report(`${path}.form`, 'reference', `form ${JSON.stringify(field.form)} does not exist`)
    }
    return
  }

  const lines = fields.find((candidate) => candidate.key === field.lines)
  if (lines?.type !== 'lines') {
    report(`${path}.lines`, 'reference', `${JSON.stringify(field.lines)} is not a lines field of this form`)
    return
  }
  if (field.agg === 'count' || typeof field.field !== 'string') return
  const lineFields = Array.isArray(lines.fields) ? lines.fields.filter(isRecord) : []
  const source = lineFields.find((candidate) => candidate.key === field.field)
  if (!source) {
    report(`${path}.field`, 'reference', `${JSON.stringify(field.field)} is not a field of ${String(field.lines)}`)
    return
  }
  const problem = aggregateProblem(String(field.agg), source)
  if (problem) report(`${path}.field`, 'type', problem)
}

/** Why a field cannot be aggregated by `agg`, if it cannot. */
export function aggregateProblem(agg: string, source: Json): string | undefined {
  const allowed = AGGREGATED_TYPES[agg]
  const type = source.type === 'formula' ? String(source.result) : String(source.type)
  if (!allowed || allowed.includes(type)) return undefined
  return `a ${agg} reads ${allowed.join(', ')} values, not ${type}`
}

/** Constraints sum a number of this form per record of a link; the limit lies in the linked form. */
export function checkConstraints(def: Json, report: Report): void {
  if (!Array.isArray(def.constraints)) return
  const fields = (Array.isArray(def.fields) ? def.fields : []).filter(isRecord)
  const seen = new Set<string>()

  def.constraints.forEach((constraint, index) => {
    if (!isRecord(constraint)) return
    const path = `constraints[${index}]`
    if (typeof constraint.key === 'string') {
      if (!KEY_PATTERN.test(constraint.key)) {
        report(`${path}.key`, 'key', `constraint key ${JSON.stringify(constraint.key)} must match ${KEY_PATTERN}`)
      } else if (seen.has(constraint.key)) {
        report(`${path}.key`, 'duplicate', `constraint key ${JSON.stringify(constraint.key)} is used twice`)
      }
      seen.add(constraint.key)
    }

    const per = fields.find((field) => field.key === constraint.per)
    if (per?.type !== 'link') {
      report(`${path}.per`, 'reference', `${JSON.stringify(constraint.per)} is not a link field of this form`)
    }
    const summed = fields.find((field) => field.key === constraint.sum)
    if (!summed) {
      report(`${path}.sum`, 'reference', `${JSON.stringify(constraint.sum)} is not a field of this form`)
    } else {
      const problem = aggregateProblem('sum', summed)
      if (problem) report(`${path}.sum`, 'type', problem)
    }
  })
}

/** Agreements name fields of this form, or `link.field` through one of its links. */
export function checkAgreements(def: Json, report: Report): void {
  if (!Array.isArray(def.agreements)) return
  const fields = (Array.isArray(def.fields) ? def.fields : []).filter(isRecord)
  def.agreements.forEach((agreement, index) => {
    if (!isRecord(agreement) || !Array.isArray(agreement.paths)) return
    agreement.paths.forEach((raw, at) => {
      const path = `agreements[${index}].paths[${at}]`
      const [head, tail, more] = String(raw).split('.')
      const field = fields.find((candidate) => candidate.key === head)
      if (more !== undefined || !field) {
        report(path, 'reference', `${JSON.stringify(raw)} must be a field of this form or "<link>.<field>"`)
      } else if (tail !== undefined && field.type !== 'link') {
        report(path, 'reference', `${JSON.stringify(head)} is not a link field of this form`)
      } else if (tail === undefined && (field.type === 'lines' || field.type === 'lookup')) {
        report(path, 'type', `${JSON.stringify(head)} is a ${String(field.type)} field; name a field with a value of its own`)
      }
    })
  })
}

function checkLookup(field: Json, path: string, fields: Json[], report: Report): void {
  const link = fields.find((candidate) => candidate.key === field.link)
  if (link?.type !== 'link') {
    report(`${path}.link`, 'reference', `${JSON.stringify(field.link)} is not a link field of this form`)
  }
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
