import type { FieldIssue, FormDefinition, Locale, LocalizedText } from '@tessera/core'
import { isTesseraError, localize } from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'

/** The problems of a definition, the ones of each field apart. */
export interface DesignIssues {
  all: FieldIssue[]
  /** Issues by field key (the field whose path they lie in). */
  byField: Map<string, FieldIssue[]>
}

/**
 * Checks a definition in the browser with the engine's own check, so a
 * problem shows on its field as soon as it is made; the server checks
 * again when the draft is saved.
 */
export function designIssues(definition: FormDefinition, forms: readonly string[]): DesignIssues {
  try {
    checkFormDefinition(definition, { forms: [...new Set([...forms, definition.key])] })
    return { all: [], byField: new Map() }
  } catch (error) {
    if (!isTesseraError(error)) throw error
    const all = error.issues.length > 0 ? error.issues : [{ field: '', rule: 'invalid', message: error.message }]
    return placeIssues(definition, all)
  }
}

/** Sorts issues (from the browser or the server) onto the fields their paths start in. */
export function placeIssues(definition: FormDefinition, issues: readonly FieldIssue[]): DesignIssues {
  const byField = new Map<string, FieldIssue[]>()
  for (const issue of issues) {
    const index = /^fields\[(\d+)\]/.exec(issue.field ?? '')
    const key = index ? definition.fields[Number(index[1])]?.key : undefined
    if (key === undefined) continue
    byField.set(key, [...(byField.get(key) ?? []), issue])
  }
  return { all: [...issues], byField }
}

/** The Chinese (or only) text of a label. */
export function zhText(label: LocalizedText | undefined): string {
  if (label === undefined) return ''
  return typeof label === 'string' ? label : label['zh-CN']
}

/** The English text of a label, empty when it has none. */
export function enText(label: LocalizedText | undefined): string {
  return label !== undefined && typeof label !== 'string' ? label.en ?? '' : ''
}

/** A label from its two texts: plain text when there is no English. */
export function labelOf(zh: string, en: string): LocalizedText {
  return en.trim() === '' ? zh : { 'zh-CN': zh, en }
}

/** The rules of checkFormDefinition's issues the builder words itself. */
export const WORDED_RULES = new Set([
  'required', 'reference', 'duplicate', 'pattern', 'key', 'localized_text', 'var', 'operator', 'cycle',
  'conflict', 'range', 'type', 'minItems', 'unknown_property', 'format', 'reserved', 'source', 'unsupported',
  'minLength', 'enum', 'minimum', 'maximum', 'period_required', 'period_date',
])

/**
 * Where an issue lies, as a person names it: the label of the field (or
 * line field) its path starts in, else the form's.
 *
 * @example issuePlace(form, 'fields[3].fields[0].expression', 'zh-CN') // "明细·金额"
 */
export function issuePlace(definition: FormDefinition, path: string, locale: Locale): string {
  const language = locale === 'en' ? 'en' : 'zh'
  const part = /^(rules|constraints|agreements|uniques)\[(\d+)\]/.exec(path)
  if (part) {
    const list = (definition[part[1] as 'rules'] ?? []) as Array<{ key?: string }>
    const key = list[Number(part[2])]?.key ?? `#${Number(part[2]) + 1}`
    return `${localize(definition.label, locale)}·${PART_NOUNS[part[1]][language]} ${key}`
  }
  const list = /^ui\.list\.(columns|defaultSort)/.exec(path)
  if (list) return `${localize(definition.label, locale)}·${PART_NOUNS[list[1]][language]}`
  const top = /^fields\[(\d+)\](?:\.fields\[(\d+)\])?/.exec(path)
  const field = top ? definition.fields[Number(top[1])] : undefined
  if (!field) return localize(definition.label, locale)
  const line = top?.[2] !== undefined && field.type === 'lines' ? field.fields[Number(top[2])] : undefined
  // A field whose name was emptied is named by its key (not by 「」).
  const named = (one: { label: FormDefinition['label']; key: string }) => localize(one.label, locale).trim() || one.key
  return line ? `${named(field)}·${named(line)}` : named(field)
}

const PART_NOUNS: Record<string, { zh: string; en: string }> = {
  rules: { zh: '校验规则', en: 'rule' },
  constraints: { zh: '合计上限', en: 'limit' },
  agreements: { zh: '一致性要求', en: 'agreement' },
  uniques: { zh: '组合唯一', en: 'unique set' },
  columns: { zh: '列表的列', en: 'list columns' },
  defaultSort: { zh: '默认排序', en: 'default sort' },
}

/**
 * The message key that words an issue better than its rule alone, by
 * where it lies: an empty message of a rule is not an empty name.
 */
export function issueWording(issue: FieldIssue): { key: string; values?: Record<string, string> } | undefined {
  const path = issue.field ?? ''
  const inPart = /^(rules|constraints|agreements)\[\d+\]/.test(path)
  if (issue.rule === 'localized_text' && /\.message$/.test(path)) return { key: 'fb.rule.message_empty' }
  if (issue.rule === 'localized_text' && /(^|\.)description$/.test(path)) return { key: 'fb.rule.description_zh' }
  if (issue.rule === 'pattern' && /\.accept\[\d+\]$/.test(path)) return { key: 'fb.rule.accept_pattern' }
  if (/^agreements\[\d+\]\.paths/.test(path)) {
    if (issue.rule === 'minItems') return { key: 'fb.rule.paths_few' }
    if (issue.rule === 'reference' && issue.message.startsWith('""')) return { key: 'fb.rule.minLength' }
  }
  if (issue.rule === 'required' && inPart) {
    const setting = /\.(\w+)$/.exec(path)?.[1]
    if (setting === 'assert') return { key: 'fb.rule.assert_missing' }
    if (setting === 'message') return { key: 'fb.rule.message_empty' }
  }
  if (issue.rule === 'var') {
    const name = /"([^"]+)"/.exec(issue.message)?.[1]
    if (name) return { key: 'fb.rule.var_named', values: { name } }
  }
  return undefined
}
