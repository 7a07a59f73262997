import { isTesseraError, KEY_PATTERN } from '@tessera/core'
import { checkLogic } from '@tessera/logic'
import { AutonumberPatternError, parseAutonumberPattern } from './autonumber-pattern.js'
import { formulaOrder, rootKey, type FieldList } from './formula-order.js'

type Json = Record<string, unknown>
type Report = (field: string, rule: string, message: string) => void

/**
 * The checks of a definition's logic: conditions, formulas, autonumber
 * patterns and cross-field rules. Every json-logic rule must pass
 * checkLogic (allowed operators, safe paths) and read only fields of
 * the form; formulas must not read each other in a circle.
 */
export function checkDefinitionLogic(def: Json, keys: Set<string>, report: Report): void {
  const fields = Array.isArray(def.fields) ? def.fields : []
  // Lookups are read when records are read, after the logic of a write ran.
  const lookups = new Set(fields.filter(isRecord).filter((f) => f.type === 'lookup').map((f) => f.key))
  const vars = (path: string) => keys.has(rootKey(path)) && !lookups.has(rootKey(path))

  fields.forEach((field, index) => {
    if (!isRecord(field)) return
    const path = `fields[${index}]`
    if (field.type === 'lines') checkLineLogic(field, path, report)
    for (const name of ['visibleWhen', 'requiredWhen'] as const) {
      if (field[name] !== undefined) checkRule(field[name], `${path}.${name}`, vars, report)
    }

    if (field.type === 'formula' || field.type === 'autonumber') {
      if (field.required === true) {
        report(`${path}.required`, 'conflict', `a ${field.type} is computed, so it cannot be required`)
      }
    }
    if (field.type === 'formula') checkFormula(field, path, vars, report)
    if (field.type === 'autonumber' && typeof field.pattern === 'string') {
      checkPattern(field.pattern, `${path}.pattern`, report)
    }
    if (field.type === 'autonumber' && field.dateField !== undefined) {
      const dated = fields.find((one) => isRecord(one) && one.key === field.dateField)
      if (!isRecord(dated) || dated.type !== 'date') {
        report(`${path}.dateField`, 'reference', `dateField must name a date field of the form, got ${JSON.stringify(field.dateField)}`)
      }
    }
  })

  checkFormulaCycles(def, report)
  checkRules(def.rules, keys, vars, report)
}

/** A lines field's formulas read the fields of their own row. */
function checkLineLogic(lines: Json, path: string, report: Report): void {
  const fields = Array.isArray(lines.fields) ? lines.fields : []
  const keys = new Set(fields.filter(isRecord).map((field) => String(field.key)))
  const vars = (varPath: string) => keys.has(rootKey(varPath))

  fields.forEach((field, index) => {
    if (!isRecord(field)) return
    const at = `${path}.fields[${index}]`
    for (const name of ['visibleWhen', 'requiredWhen'] as const) {
      if (field[name] !== undefined) report(`${at}.${name}`, 'unsupported', `line fields have no ${name}`)
    }
    if (field.type === 'formula') checkFormula(field, at, vars, report)
  })
  checkFormulaCycles(lines, report, `${path}.`)
}

function checkFormula(field: Json, path: string, vars: (p: string) => boolean, report: Report) {
  if (field.expression !== undefined) checkRule(field.expression, `${path}.expression`, vars, report)
  const scale = field.scale
  if (field.result === 'percent' && typeof scale === 'number' && scale > 4) {
    report(`${path}.scale`, 'range', `a percent result shows at most 4 digits after the point, got ${scale}`)
  }
  if (field.currency !== undefined && field.result !== 'money') {
    report(`${path}.currency`, 'conflict', 'only a money result has a currency')
  }
}

function checkFormulaCycles(def: Json, report: Report, prefix = ''): void {
  const fields = Array.isArray(def.fields) ? def.fields.filter(isRecord) : []
  const formulas = fields.filter((field) => field.type === 'formula' && field.expression !== undefined)
  if (formulas.length === 0) return

  const result = formulaOrder({ fields: formulas } as unknown as FieldList)
  if (!result.cycle) return
  const index = fields.findIndex((field) => field.key === result.cycle[0])
  const circle = [...result.cycle, result.cycle[0]].join(' → ')
  report(`${prefix}fields[${index}].expression`, 'cycle', `formulas read each other in a circle: ${circle}`)
}

function checkPattern(pattern: string, path: string, report: Report): void {
  try {
    parseAutonumberPattern(pattern)
  } catch (error) {
    if (!(error instanceof AutonumberPatternError)) throw error
    report(path, 'pattern', `pattern ${JSON.stringify(pattern)} ${error.message}`)
  }
}

function checkRules(
  rules: unknown,
  keys: Set<string>,
  vars: (path: string) => boolean,
  report: Report,
): void {
  if (!Array.isArray(rules)) return
  const seen = new Set<string>()

  rules.forEach((rule, index) => {
    if (!isRecord(rule)) return
    const path = `rules[${index}]`
    if (typeof rule.key === 'string') {
      if (!KEY_PATTERN.test(rule.key)) {
        report(`${path}.key`, 'key', `rule key ${JSON.stringify(rule.key)} must match ${KEY_PATTERN}`)
      } else if (seen.has(rule.key)) {
        report(`${path}.key`, 'duplicate', `rule key ${JSON.stringify(rule.key)} is used twice`)
      }
      seen.add(rule.key)
    }

    const named = Array.isArray(rule.fields) ? rule.fields : []
    named.forEach((ref, position) => {
      if (typeof ref === 'string' && !keys.has(ref)) {
        const problem = `${JSON.stringify(ref)} is not a field of this form`
        report(`${path}.fields[${position}]`, 'reference', problem)
      }
    })
    if (rule.when !== undefined) checkRule(rule.when, `${path}.when`, vars, report)
    if (rule.assert !== undefined) checkRule(rule.assert, `${path}.assert`, vars, report)
  })
}

/** checkLogic, with its issues placed under `path` in the definition. */
function checkRule(rule: unknown, path: string, vars: (p: string) => boolean, report: Report) {
  try {
    checkLogic(rule, { vars, literals: true })
  } catch (error) {
    if (!isTesseraError(error)) throw error
    for (const issue of error.issues) {
      const inner = (issue.field ?? '$').replace(/^\$/, '')
      report(`${path}${inner}`, issue.rule, issue.message)
    }
  }
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
