import {
  FORM_ACTIONS,
  type Actor,
  type FormAction,
  type FormDefinition,
  type LocalizedText,
  type Locale,
} from '@tessera/core'
import type { AppSummary } from '@tessera/store'
import type { Platform } from './platform.js'
import { refuse } from './refuse.js'

/**
 * An app as one actor sees it: only the forms they may do something with
 * (and what), the reports and dashboards their roles list.
 *
 * @example
 * { key: 'customer-settlement', label: { 'zh-CN': '客户结算' }, admin: false,
 *   forms: [{ key: 'customer', label: '客户', actions: ['read', 'update'] }],
 *   reports: [{ key: 'aging', label: '客户账龄表' }],
 *   dashboards: [{ key: 'receivables', label: '应收看板' }] }
 */
export interface AppOverview {
  key: string
  label: LocalizedText
  description?: LocalizedText
  /** True when the actor may do everything in the app. */
  admin: boolean
  forms: { key: string; label: LocalizedText; actions: FormAction[] }[]
  reports: { key: string; label: LocalizedText }[]
  dashboards: { key: string; label: LocalizedText }[]
}

/**
 * A published form as one actor sees it: fields hidden from them are gone
 * from the definition (fields, sections, list columns, sorts, title), and
 * `access` says what they may do and which fields they may not change.
 */
export interface FormView {
  app: string
  key: string
  version: number
  definition: FormDefinition
  access: { actions: FormAction[]; readonly: string[] }
  /**
   * The links of other forms pointing at this one that the actor may read
   * (a customer's invoices, through the invoice's `customer`): a record's
   * page lists their records.
   */
  linkedFrom: LinkingField[]
}

/** A link field of another form pointing at a form. */
export interface LinkingField {
  form: string
  formLabel: LocalizedText
  field: string
  fieldLabel: LocalizedText
}

/** The apps in which the actor holds a role (all of them for administrators). */
export async function visibleApps(platform: Platform, actor: Actor): Promise<AppSummary[]> {
  const visible: AppSummary[] = []
  for (const app of await platform.catalog.listApps()) {
    if ((await platform.grants(actor, app.key)).entered) visible.push(app)
  }
  return visible
}

export async function describeApp(
  platform: Platform,
  actor: Actor,
  appKey: string,
  locale: Locale = 'zh-CN',
): Promise<AppOverview> {
  const { catalog } = platform
  const app = await catalog.getApp(appKey)
  const grants = await platform.enterApp(actor, appKey, locale)
  const [forms, reports, dashboards] = await Promise.all([
    catalog.listForms(appKey),
    catalog.listMeta(appKey, 'report'),
    catalog.listMeta(appKey, 'dashboard'),
  ])
  return {
    key: app.key,
    label: app.label,
    description: app.description,
    admin: grants.admin,
    forms: forms
      .filter((f) => f.publishedVersion !== null)
      .map((f) => ({ key: f.key, label: f.label, actions: grants.actions(f.key, FORM_ACTIONS) }))
      .filter((f) => f.actions.length > 0),
    reports: reports.filter((r) => grants.canRunReport(r.key)).map((r) => ({ key: r.key, label: r.label })),
    dashboards: dashboards.filter((d) => grants.canOpenDashboard(d.key)).map((d) => ({ key: d.key, label: d.label })),
  }
}

export async function viewForm(
  platform: Platform,
  actor: Actor,
  appKey: string,
  formKey: string,
  locale: Locale = 'zh-CN',
): Promise<FormView> {
  const form = await platform.catalog.getForm(appKey, formKey)
  const grants = await platform.grants(actor, appKey)
  const actions = grants.actions(form.key, FORM_ACTIONS)
  if (actions.length === 0) refuse(actor, locale, `使用表单「${formKey}」`, `use form "${formKey}"`)

  const rules = grants.fields(form.key)
  const hidden = new Set([...rules].filter(([, rule]) => rule === 'hidden').map(([key]) => key))
  const readonly = form.definition.fields.filter((f) => rules.get(f.key) === 'readonly').map((f) => f.key)
  const linkedFrom: LinkingField[] = []
  for (const summary of await platform.catalog.listForms(appKey)) {
    if (summary.publishedVersion === null || !grants.actions(summary.key, ['read']).includes('read')) continue
    const other = await platform.catalog.getForm(appKey, summary.key)
    const rulesThere = grants.fields(other.key)
    for (const field of other.definition.fields) {
      if (field.type !== 'link' || field.form !== form.key || rulesThere.get(field.key) === 'hidden') continue
      linkedFrom.push({ form: other.key, formLabel: other.definition.label, field: field.key, fieldLabel: field.label })
    }
  }
  return {
    app: form.app,
    key: form.key,
    version: form.version,
    definition: withoutFields(form.definition, hidden),
    access: { actions, readonly },
    linkedFrom,
  }
}

/** The definition with the given fields taken out of every place that names them. */
export function withoutFields(definition: FormDefinition, hidden: ReadonlySet<string>): FormDefinition {
  if (hidden.size === 0) return definition
  const kept = (key: string) => !hidden.has(key)
  const copy: FormDefinition = {
    ...definition,
    fields: definition.fields.filter((f) => kept(f.key)),
  }
  if (definition.titleField && !kept(definition.titleField)) delete copy.titleField
  if (definition.uniques) copy.uniques = definition.uniques.filter((group) => group.every(kept))
  const ui = definition.ui
  if (ui) {
    copy.ui = {
      ...ui,
      sections: ui.sections?.map((section) => ({ ...section, fields: section.fields.filter(kept) })),
      list: ui.list && {
        ...ui.list,
        columns: ui.list.columns?.filter(kept),
        defaultSort: ui.list.defaultSort?.filter((sort) => kept(sort.field)),
      },
      picker: ui.picker && { ...ui.picker, fields: ui.picker.fields?.filter(kept) },
    }
  }
  return copy
}
