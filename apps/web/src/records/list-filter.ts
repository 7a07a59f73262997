import type { FieldDefinition, FormDefinition } from '@tessera/core'
import { storedAs } from '@tessera/forms'

/** How the builder offers a field: which operators and which value input. */
export type FilterKind = 'text' | 'range' | 'choice' | 'boolean' | 'link' | 'presence'

export type FilterOp =
  | 'eq' | 'ne' | 'contains' | 'startsWith' | 'empty' | 'notEmpty'
  | 'gt' | 'ge' | 'lt' | 'le' | 'between'
  | 'in' | 'notIn' | 'yes' | 'no' | 'is'

/** One row of the builder: field, operator, value (two for "between"). */
export interface FilterCondition {
  field: string
  op: FilterOp
  value?: unknown
  value2?: unknown
}

export interface FilterModel {
  join: 'and' | 'or'
  conditions: FilterCondition[]
}

export const OPS_BY_KIND: Record<FilterKind, FilterOp[]> = {
  text: ['eq', 'contains', 'startsWith', 'empty', 'notEmpty'],
  range: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'between', 'empty'],
  choice: ['in', 'notIn'],
  boolean: ['yes', 'no'],
  link: ['is', 'empty'],
  presence: ['empty', 'notEmpty'],
}

const TEXT_TYPES = new Set(['text', 'phone', 'email', 'bank_account', 'region', 'uscc'])
const RANGE_TYPES = new Set(['number', 'money', 'percent', 'date', 'datetime'])

/** The builder's kind for a field; undefined when lists cannot filter by it. */
export function filterKind(field: FieldDefinition): FilterKind | undefined {
  if (field.type === 'lookup' || field.type === 'lines') return undefined
  const type = storedAs(field).type
  if (TEXT_TYPES.has(type)) return 'text'
  if (RANGE_TYPES.has(type)) return 'range'
  if (type === 'select' || type === 'multiselect') return 'choice'
  if (type === 'boolean') return 'boolean'
  if (type === 'link') return 'link'
  return 'presence'
}

/** The fields a list can filter by, in form order. */
export function filterableFields(definition: FormDefinition): FieldDefinition[] {
  return definition.fields.filter((field) => filterKind(field) !== undefined)
}

/** Whether a row has what its operator needs, so it can be applied. */
export function isComplete(condition: FilterCondition): boolean {
  const { op, value, value2 } = condition
  if (op === 'empty' || op === 'notEmpty' || op === 'yes' || op === 'no') return true
  if (op === 'in' || op === 'notIn') return Array.isArray(value) && value.length > 0
  const filled = (v: unknown) => v !== undefined && v !== null && v !== ''
  return op === 'between' ? filled(value) && filled(value2) : filled(value)
}

function conditionLogic({ field, op, value, value2 }: FilterCondition): unknown {
  const v = { var: field }
  switch (op) {
    case 'eq': case 'is': return { '==': [v, value] }
    case 'ne': return { '!=': [v, value] }
    case 'contains': return { contains: [v, value] }
    case 'startsWith': return { startsWith: [v, value] }
    case 'empty': return { '==': [v, null] }
    case 'notEmpty': return { '!=': [v, null] }
    case 'gt': return { '>': [v, value] }
    case 'ge': return { '>=': [v, value] }
    case 'lt': return { '<': [v, value] }
    case 'le': return { '<=': [v, value] }
    case 'between': return { between: [v, value, value2] }
    case 'in': return { in: [v, value] }
    case 'notIn': return { '!': { in: [v, value] } }
    case 'yes': return { '==': [v, true] }
    case 'no': return { '==': [v, false] }
  }
}

/** The json-logic rule of the complete rows; undefined when there is none. */
export function modelToLogic(model: FilterModel): unknown {
  const parts = model.conditions.filter(isComplete).map(conditionLogic)
  return parts.length ? { [model.join]: parts } : undefined
}

const BINARY: Record<string, FilterOp> = {
  '!=': 'ne', '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le', contains: 'contains', startsWith: 'startsWith',
}

/** One rule the builder made back into its row; undefined for anything else. */
function logicCondition(rule: unknown, kinds: Map<string, FilterKind>): FilterCondition | undefined {
  if (!isObject(rule)) return undefined
  const entries = Object.entries(rule)
  if (entries.length !== 1) return undefined
  const [op, args] = entries[0]
  if (op === '!') {
    const inner = logicCondition(args, kinds)
    return inner?.op === 'in' ? { ...inner, op: 'notIn' } : undefined
  }
  if (!Array.isArray(args)) return undefined
  const field = isObject(args[0]) && typeof args[0].var === 'string' ? args[0].var : undefined
  const kind = field === undefined ? undefined : kinds.get(field)
  if (field === undefined || kind === undefined) return undefined
  const value = args[1]
  if (op === '==') {
    if (value === null) return { field, op: 'empty' }
    if (value === true || value === false) return { field, op: value ? 'yes' : 'no' }
    return { field, op: kind === 'link' ? 'is' : 'eq', value }
  }
  if (op === '!=' && value === null) return { field, op: 'notEmpty' }
  if (op === 'between' && args.length === 3) return { field, op: 'between', value, value2: args[2] }
  if (op === 'in' && Array.isArray(value)) return { field, op: 'in', value }
  const mapped = BINARY[op]
  return mapped && args.length === 2 ? { field, op: mapped, value } : undefined
}

/**
 * The builder's rows of a rule it made ({"and"|"or": [...]}); undefined
 * when the rule is of another shape (it then stays as it is, shown as a
 * custom filter).
 */
export function logicToModel(rule: unknown, definition: FormDefinition): FilterModel | undefined {
  if (!isObject(rule)) return undefined
  const join = 'and' in rule ? 'and' : 'or' in rule ? 'or' : undefined
  if (!join || Object.keys(rule).length !== 1 || !Array.isArray(rule[join])) return undefined
  const kinds = new Map<string, FilterKind>()
  for (const field of filterableFields(definition)) kinds.set(field.key, filterKind(field)!)
  const conditions = (rule[join] as unknown[]).map((part) => logicCondition(part, kinds))
  if (conditions.some((c) => c === undefined)) return undefined
  return { join, conditions: conditions as FilterCondition[] }
}

/** A dashboard drill-down's rule: {"in": [{"var": "id"}, [ids]]}; its ids, else undefined. */
export function drillIds(rule: unknown): number[] | undefined {
  if (!isObject(rule) || !Array.isArray(rule.in) || Object.keys(rule).length !== 1) return undefined
  const [v, ids] = rule.in as unknown[]
  if (!isObject(v) || v.var !== 'id' || !Array.isArray(ids)) return undefined
  return ids.every((id) => typeof id === 'number') ? (ids as number[]) : undefined
}

/**
 * The `filter` URL parameter, split: an optional drill-down rule, the
 * builder's rows, or a rule of another shape kept as it is.
 */
export interface ListFilter {
  drill?: { rule: unknown; ids: number[] }
  model?: FilterModel
  custom?: unknown
  /** Set when the parameter is not JSON. */
  error?: string
}

export function parseListFilter(text: string | undefined, definition: FormDefinition): ListFilter {
  if (!text) return {}
  let rule: unknown
  try {
    rule = JSON.parse(text)
  } catch (error) {
    return { error: (error as Error).message }
  }
  const ids = drillIds(rule)
  if (ids) return { drill: { rule, ids } }
  const parts = isObject(rule) && Array.isArray(rule.and) && Object.keys(rule).length === 1
    ? (rule.and as unknown[]) : undefined
  const drillPart = parts?.length === 2 ? parts.find((p) => drillIds(p)) : undefined
  if (parts && drillPart) {
    const rest = parts.find((p) => p !== drillPart)
    const drill = { rule: drillPart, ids: drillIds(drillPart)! }
    const model = logicToModel(rest, definition)
    return model ? { drill, model } : { drill, custom: rest }
  }
  const model = logicToModel(rule, definition)
  return model ? { model } : { custom: rule }
}

/** The `filter` URL parameter for a drill-down, builder rows and/or a custom rule. */
export function formatListFilter(filter: ListFilter): string {
  const rest = filter.model ? modelToLogic(filter.model) : filter.custom
  const drill = filter.drill?.rule
  const rule = drill && rest ? { and: [drill, rest] } : drill ?? rest
  return rule === undefined ? '' : JSON.stringify(rule)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
