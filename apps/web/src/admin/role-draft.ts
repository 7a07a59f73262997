import {
  FORM_ACTIONS,
  type FieldDefinition,
  type FieldRule,
  type FormAction,
  type FormGrant,
  type LocalizedText,
  type RoleSpec,
  type RowRule,
  type RowRuleKind,
} from '@tessera/core'

/**
 * A role document as the editor holds it: every form present (unticked
 * forms have no actions), the custom rule as editable JSON text, labels as
 * two plain strings. `toDraft` and `fromDraft` convert; a draft converted
 * back gives the same document (forms without actions or field rules are
 * left out, as are empty texts).
 */
export interface RoleDraft {
  key: string
  labelZh: string
  labelEn: string
  descriptionZh: string
  descriptionEn: string
  admin: boolean
  forms: Record<string, GrantDraft>
  reports: KeyChoice
  dashboards: KeyChoice
}

export interface GrantDraft {
  actions: FormAction[]
  rows: RowsDraft
  fields: Record<string, FieldRule>
}

export interface RowsDraft {
  kind: RowRuleKind
  /** own / department: the field holding the user's or department's id; '' for the creator. */
  field: string
  /** via: the link field. */
  link: string
  /** custom: the rule as JSON text. */
  rule: string
}

/** A list of report or dashboard keys, or every one ("*"). */
export interface KeyChoice {
  all: boolean
  keys: string[]
}

/** Where a draft cannot become a document, by path ("forms.customer.rows.rule"). */
export interface DraftProblem {
  path: string
  message: string
}

const EMPTY_ROWS: RowsDraft = { kind: 'all', field: '', link: '', rule: '' }

export function emptyGrant(): GrantDraft {
  return { actions: [], rows: { ...EMPTY_ROWS }, fields: {} }
}

export function emptyDraft(formKeys: string[]): RoleDraft {
  return {
    key: '', labelZh: '', labelEn: '', descriptionZh: '', descriptionEn: '', admin: false,
    forms: Object.fromEntries(formKeys.map((key) => [key, emptyGrant()])),
    reports: { all: false, keys: [] },
    dashboards: { all: false, keys: [] },
  }
}

/**
 * The field rules of a role naming fields their form no longer has (taken
 * out in the form builder since): the server refuses the role as it reads
 * until they go, and the editor has no control for them. `forms` are the
 * published definitions; a form not among them is left alone.
 */
export function staleFieldRules(
  spec: RoleSpec,
  forms: ReadonlyArray<{ key: string; fields: ReadonlyArray<{ key: string }> }>,
): Array<{ form: string; field: string }> {
  const stale: Array<{ form: string; field: string }> = []
  for (const [form, grant] of Object.entries(spec.forms ?? {})) {
    const definition = forms.find((one) => one.key === form)
    if (!definition) continue
    for (const field of Object.keys(grant.fields ?? {})) {
      if (!definition.fields.some((one) => one.key === field)) stale.push({ form, field })
    }
  }
  return stale
}

/** The role as the editor holds it, without the `stale` field rules (see staleFieldRules). */
export function toDraft(spec: RoleSpec, formKeys: string[], stale: ReadonlyArray<{ form: string; field: string }> = []): RoleDraft {
  const draft = emptyDraft(formKeys)
  draft.key = spec.key
  ;[draft.labelZh, draft.labelEn] = texts(spec.label)
  ;[draft.descriptionZh, draft.descriptionEn] = texts(spec.description)
  draft.admin = spec.admin === true
  for (const [form, grant] of Object.entries(spec.forms ?? {})) {
    draft.forms[form] = {
      actions: FORM_ACTIONS.filter((action) => grant.actions.includes(action)),
      rows: rowsDraft(grant.rows),
      fields: Object.fromEntries(Object.entries(grant.fields ?? {})
        .filter(([field]) => !stale.some((one) => one.form === form && one.field === field))),
    }
  }
  draft.reports = keyChoice(spec.reports)
  draft.dashboards = keyChoice(spec.dashboards)
  return draft
}

export function fromDraft(draft: RoleDraft): { spec: RoleSpec; problems: DraftProblem[] } {
  const problems: DraftProblem[] = []
  const spec: RoleSpec = { key: draft.key.trim(), label: localized(draft.labelZh, draft.labelEn) ?? '' }
  const description = localized(draft.descriptionZh, draft.descriptionEn)
  if (description !== undefined) spec.description = description
  if (draft.admin) spec.admin = true

  const forms: Record<string, FormGrant> = {}
  for (const [form, grant] of Object.entries(draft.forms)) {
    const fields = Object.fromEntries(Object.entries(grant.fields).filter(([, rule]) => rule))
    if (grant.actions.length === 0 && Object.keys(fields).length === 0) continue
    const out: FormGrant = { actions: FORM_ACTIONS.filter((a) => grant.actions.includes(a)) }
    const rows = rowRule(grant.rows, `forms.${form}.rows`, problems)
    if (rows && rows.kind !== 'all') out.rows = rows
    if (Object.keys(fields).length > 0) out.fields = fields
    forms[form] = out
  }
  if (Object.keys(forms).length > 0) spec.forms = forms

  const reports = keyList(draft.reports)
  if (reports) spec.reports = reports
  const dashboards = keyList(draft.dashboards)
  if (dashboards) spec.dashboards = dashboards
  return { spec, problems }
}

function rowsDraft(rule: RowRule | undefined): RowsDraft {
  if (!rule) return { ...EMPTY_ROWS }
  switch (rule.kind) {
    case 'all':
      return { ...EMPTY_ROWS }
    case 'own':
    case 'department':
      return { ...EMPTY_ROWS, kind: rule.kind, field: rule.field ?? '' }
    case 'via':
      return { ...EMPTY_ROWS, kind: 'via', link: rule.link }
    case 'custom':
      return { ...EMPTY_ROWS, kind: 'custom', rule: JSON.stringify(rule.rule, null, 2) }
  }
}

function rowRule(rows: RowsDraft, path: string, problems: DraftProblem[]): RowRule | undefined {
  switch (rows.kind) {
    case 'all':
      return { kind: 'all' }
    case 'own':
    case 'department':
      return rows.field ? { kind: rows.kind, field: rows.field } : { kind: rows.kind }
    case 'via':
      return { kind: 'via', link: rows.link }
    case 'custom':
      try {
        return { kind: 'custom', rule: JSON.parse(rows.rule) as unknown }
      } catch (error) {
        problems.push({ path: `${path}.rule`, message: error instanceof Error ? error.message : String(error) })
        return undefined
      }
  }
}

function texts(text: LocalizedText | undefined): [string, string] {
  if (text === undefined) return ['', '']
  if (typeof text === 'string') return [text, '']
  return [text['zh-CN'], text.en ?? '']
}

function localized(zh: string, en: string): LocalizedText | undefined {
  const [z, e] = [zh.trim(), en.trim()]
  if (!z && !e) return undefined
  return e ? { 'zh-CN': z, en: e } : z
}

function keyChoice(keys: string[] | undefined): KeyChoice {
  if (!keys) return { all: false, keys: [] }
  return { all: keys.includes('*'), keys: keys.filter((key) => key !== '*') }
}

function keyList(choice: KeyChoice): string[] | undefined {
  if (choice.all) return ['*']
  return choice.keys.length > 0 ? [...choice.keys] : undefined
}

/**
 * The fields a row rule of `kind` may name: for `own`, those holding the
 * user (a member field, or a text holding user ids); for `department`,
 * those holding a department (a department field, or an integer holding
 * department ids). The server takes the same (check-role-spec.ts).
 */
export function rowRuleFields(fields: readonly FieldDefinition[], kind: 'own' | 'department'): FieldDefinition[] {
  return kind === 'own'
    ? fields.filter((field) => field.type === 'member' || field.type === 'text')
    : fields.filter((field) => field.type === 'department' || (field.type === 'number' && field.integer === true))
}

/** Field types whose values the form works out: no one types them, so none is read-only. */
const COMPUTED = new Set<string>(['formula', 'rollup', 'lookup', 'autonumber'])

/** The rules a role may set on a field: a computed one is shown or hidden, never read-only. */
export function fieldRuleChoices(field: FieldDefinition): Array<'free' | FieldRule> {
  return COMPUTED.has(field.type) ? ['free', 'hidden'] : ['free', 'readonly', 'hidden']
}
