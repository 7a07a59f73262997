import type {
  FieldDefinition,
  FormDefinition,
  FormSection,
  LineFieldDefinition,
} from '@tessera/core'
import { renamePaths } from './setting-edits.js'

/** Where a field goes on the canvas: a section and a position in it. */
export interface Place {
  section: number
  index: number
}

const DEFAULT_COLUMNS = 2

/**
 * The form's sections with every field in exactly one of them: without
 * `ui.sections` all fields are one section of two columns; fields no
 * section names join the last one; unknown and repeated keys are dropped.
 */
export function layoutOf(definition: FormDefinition): FormSection[] {
  const keys = new Set(definition.fields.map((field) => field.key))
  const declared = definition.ui?.sections ?? []
  if (declared.length === 0) {
    return [{ columns: DEFAULT_COLUMNS, fields: definition.fields.map((field) => field.key) }]
  }
  const placed = new Set<string>()
  const sections = declared.map((section) => {
    const fields = section.fields.filter((key) => keys.has(key) && !placed.has(key))
    fields.forEach((key) => placed.add(key))
    return { ...section, fields }
  })
  const rest = definition.fields.map((field) => field.key).filter((key) => !placed.has(key))
  sections[sections.length - 1].fields.push(...rest)
  return sections
}

/**
 * The definition with these sections, and its fields in the order the
 * sections show them (so the order in JSON is the order on screen).
 */
export function withLayout(definition: FormDefinition, sections: FormSection[]): FormDefinition {
  const order = sections.flatMap((section) => section.fields)
  const byKey = new Map(definition.fields.map((field) => [field.key, field]))
  const fields = order.map((key) => byKey.get(key)).filter((field) => field !== undefined)
  return { ...definition, fields, ui: { ...definition.ui, sections } }
}

/** Adds a field at a place (the end of the last section when none is given). */
export function addField(definition: FormDefinition, field: FieldDefinition, at?: Place): FormDefinition {
  const sections = structuredClone(layoutOf(definition))
  const section = at ? Math.min(at.section, sections.length - 1) : sections.length - 1
  const list = sections[section].fields
  list.splice(at ? Math.min(at.index, list.length) : list.length, 0, field.key)
  return withLayout({ ...definition, fields: [...definition.fields, field] }, sections)
}

/** Removes a field and the places that name it (title, list columns and sorts, picker details). */
export function removeField(definition: FormDefinition, key: string): FormDefinition {
  const sections = layoutOf(definition).map((s) => ({ ...s, fields: s.fields.filter((k) => k !== key) }))
  const next = withLayout({ ...definition, fields: definition.fields.filter((f) => f.key !== key) }, sections)
  if (next.titleField === key) delete next.titleField
  if (next.periodField === key) delete next.periodField
  const list = next.ui?.list
  if (list) {
    next.ui = {
      ...next.ui,
      list: {
        ...list,
        columns: list.columns?.filter((column) => column !== key),
        defaultSort: list.defaultSort?.filter((sort) => sort.field !== key),
      },
    }
  }
  const shown = next.ui?.picker?.fields
  if (shown?.includes(key)) {
    const rest = shown.filter((one) => one !== key)
    next.ui = { ...next.ui, picker: { ...next.ui?.picker, fields: rest } }
    if (rest.length === 0) delete next.ui.picker
  }
  return next
}

/** Moves a field to a place; the index is counted without the field itself. */
export function moveField(definition: FormDefinition, key: string, to: Place): FormDefinition {
  const sections = layoutOf(definition).map((s) => ({ ...s, fields: s.fields.filter((k) => k !== key) }))
  const section = Math.max(0, Math.min(to.section, sections.length - 1))
  const list = sections[section].fields
  list.splice(Math.max(0, Math.min(to.index, list.length)), 0, key)
  return withLayout(definition, sections)
}

/** Where a field is on the canvas. */
export function placeOf(definition: FormDefinition, key: string): Place | undefined {
  const sections = layoutOf(definition)
  for (const [section, { fields }] of sections.entries()) {
    const index = fields.indexOf(key)
    if (index >= 0) return { section, index }
  }
  return undefined
}

/**
 * Moves a field one step: up or down within its section, or across into
 * the neighbouring section at its edge (what the keyboard buttons do).
 */
export function stepField(definition: FormDefinition, key: string, step: -1 | 1): FormDefinition {
  const place = placeOf(definition, key)
  if (!place) return definition
  const sections = layoutOf(definition)
  const size = sections[place.section].fields.length
  const index = place.index + step
  if (index >= 0 && index < size) return moveField(definition, key, { section: place.section, index })
  const section = place.section + step
  if (section < 0 || section >= sections.length) return definition
  const target = step < 0 ? sections[section].fields.length : 0
  return moveField(definition, key, { section, index: target })
}

/**
 * Replaces the field named `key` with `field`. A new key is carried into
 * every place that named the old one: sections, the title, list columns,
 * uniques, agreements, rules and the `var`s of every condition and formula, rollups
 * over a renamed lines field and lookups through a renamed link.
 */
export function replaceField(definition: FormDefinition, key: string, field: FieldDefinition): FormDefinition {
  const next = { ...definition, fields: definition.fields.map((f) => (f.key === key ? field : f)) }
  return field.key === key ? next : renameKey(next, key, field.key)
}

/**
 * Replaces one line field of a lines field. A new key is carried into the
 * row's formulas and into rollups that aggregate it.
 */
export function replaceLineField(
  definition: FormDefinition,
  linesKey: string,
  lineKey: string,
  line: LineFieldDefinition,
): FormDefinition {
  const renamed = line.key !== lineKey
  const fields = definition.fields.map((field): FieldDefinition => {
    if (field.type === 'lines' && field.key === linesKey) {
      const lines = field.fields.map((f) => (f.key === lineKey ? line : f))
      const fixed = renamed ? lines.map((f) => renameVars(f, lineKey, line.key) as LineFieldDefinition) : lines
      return { ...field, fields: fixed }
    }
    if (renamed && field.type === 'rollup' && field.lines === linesKey && field.field === lineKey) {
      return { ...field, field: line.key }
    }
    return field
  })
  return { ...definition, fields }
}

/** Adds, removes or reorders the line fields of a lines field. */
export function setLineFields(
  definition: FormDefinition,
  linesKey: string,
  lines: LineFieldDefinition[],
): FormDefinition {
  const fields = definition.fields.map((field): FieldDefinition =>
    field.type === 'lines' && field.key === linesKey ? { ...field, fields: lines } : field)
  return { ...definition, fields }
}

function renameKey(definition: FormDefinition, from: string, to: string): FormDefinition {
  const swap = (key: string) => (key === from ? to : key)
  const next = structuredClone(definition)
  next.fields = next.fields.map((field) => {
    const copy = renameVars(field, from, to) as FieldDefinition
    if (copy.type === 'rollup' && copy.lines === from) copy.lines = to
    if (copy.type === 'lookup' && copy.link === from) copy.link = to
    return copy
  })
  if (next.titleField === from) next.titleField = to
  if (next.periodField === from) next.periodField = to
  next.uniques = next.uniques?.map((group) => group.map(swap))
  next.rules = next.rules?.map((rule) => renameVars({ ...rule, fields: rule.fields?.map(swap) }, from, to) as typeof rule)
  next.constraints = next.constraints?.map((c) => ({ ...c, per: swap(c.per), sum: swap(c.sum) }))
  next.agreements = next.agreements?.map((a) => ({ ...a, paths: renamePaths(a.paths, from, to) }))
  if (next.ui) {
    next.ui.sections = next.ui.sections?.map((s) => ({ ...s, fields: s.fields.map(swap) }))
    if (next.ui.list) {
      next.ui.list.columns = next.ui.list.columns?.map(swap)
      next.ui.list.defaultSort = next.ui.list.defaultSort?.map((s) => ({ ...s, field: swap(s.field) }))
    }
    if (next.ui.picker?.fields) next.ui.picker = { ...next.ui.picker, fields: next.ui.picker.fields.map(swap) }
  }
  if (next.uniques === undefined) delete next.uniques
  if (next.rules === undefined) delete next.rules
  if (next.constraints === undefined) delete next.constraints
  if (next.agreements === undefined) delete next.agreements
  return next
}

/** A copy of a JSON value with every `{ "var": from… }` reading `to` instead. */
export function renameVars(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameVars(item, from, to))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(value)) {
    if (name === 'var' && typeof item === 'string') out[name] = renamePath(item, from, to)
    else if (name === 'var' && Array.isArray(item) && typeof item[0] === 'string') {
      out[name] = [renamePath(item[0], from, to), ...item.slice(1)]
    } else out[name] = renameVars(item, from, to)
  }
  return out
}

function renamePath(path: string, from: string, to: string): string {
  if (path === from) return to
  return path.startsWith(`${from}.`) ? to + path.slice(from.length) : path
}

/** Adds an empty section after the others. */
export function addSection(definition: FormDefinition, title: FormSection['title']): FormDefinition {
  const sections = [...layoutOf(definition), { title, columns: DEFAULT_COLUMNS as 1 | 2 | 3, fields: [] }]
  return withLayout(definition, sections)
}

/** Removes a section; its fields join the section before it (or after, for the first). */
export function removeSection(definition: FormDefinition, index: number): FormDefinition {
  const sections = layoutOf(definition).map((s) => ({ ...s, fields: [...s.fields] }))
  if (sections.length <= 1) return definition
  const [gone] = sections.splice(index, 1)
  sections[Math.max(0, index - 1)].fields.push(...gone.fields)
  return withLayout(definition, sections)
}

export function updateSection(definition: FormDefinition, index: number, changes: Partial<FormSection>): FormDefinition {
  const sections = layoutOf(definition).map((s, i) => (i === index ? { ...s, ...changes } : s))
  return withLayout(definition, sections)
}
