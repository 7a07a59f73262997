import type { FieldDefinition, FormulaField } from '@tessera/core'
import { logicVars } from '@tessera/logic'

/** The field key a data path starts with: "lines.0.amount" → "lines". */
export function rootKey(path: string): string {
  return path.split('.')[0]
}

/**
 * A form's formulas in an order where each comes after the formulas it
 * reads, or the keys of formulas that read each other in a circle.
 *
 * @example
 * formulaOrder(def) // { order: [net, tax, gross] } or { cycle: ['a', 'b'] }
 */
export function formulaOrder(definition: FieldList): FormulaOrder {
  let result = orders.get(definition)
  if (!result) {
    result = computeOrder(definition)
    orders.set(definition, result)
  }
  return result
}

export type FormulaOrder =
  | { order: FormulaField[]; cycle?: undefined }
  | { order?: undefined; cycle: string[] }

/** A form definition, or a lines field: what holds fields. */
export interface FieldList {
  fields: readonly FieldDefinition[]
}

// Published definitions never change, so each is ordered once.
const orders = new WeakMap<FieldList, FormulaOrder>()

function computeOrder(definition: FieldList): FormulaOrder {
  const formulas = new Map<string, FormulaField>()
  for (const field of definition.fields) if (field.type === 'formula') formulas.set(field.key, field)

  const order: FormulaField[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const trail: string[] = []

  const visit = (key: string): string[] | undefined => {
    if (state.get(key) === 'done') return undefined
    if (state.get(key) === 'visiting') return trail.slice(trail.indexOf(key))

    state.set(key, 'visiting')
    trail.push(key)
    const field = formulas.get(key)!
    for (const path of logicVars(field.expression)) {
      const dependency = rootKey(path)
      if (!formulas.has(dependency)) continue
      const cycle = visit(dependency)
      if (cycle) return cycle
    }
    trail.pop()
    state.set(key, 'done')
    order.push(field)
    return undefined
  }

  for (const key of formulas.keys()) {
    const cycle = visit(key)
    if (cycle) return { cycle }
  }
  return { order }
}
