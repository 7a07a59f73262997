import { requireAdmin, TesseraError, type Actor, type FormDefinition, type FormResolver, type Locale, type LocalizedText, type RoleSpec } from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import { checkReportSpec, type ReportSpec } from '@tessera/reports'
import {
  listFormDesigns as listDesigns,
  emptyRequiredFields,
  optionsStillHeld,
  previewPublish,
  publishChanges,
  publishRefusal,
  readFormDesign,
  writeAudit,
  type FormDesign,
  type FormDesignSummary,
  type PublishChanges,
} from '@tessera/store'
import type { DashboardSpec } from './dashboard.js'
import { reportsOf } from './dashboard-saves.js'
import type { Platform } from './platform.js'

/** What publishing one form did: its new version (null when nothing changed) and the changes. */
export interface PublishOutcome {
  form: string
  version: number | null
  changes: PublishChanges
}

/** The app's forms with their draft and published state; administrators only. */
export async function listFormDesigns(
  platform: Platform,
  actor: Actor,
  appKey: string,
): Promise<FormDesignSummary[]> {
  requireAdmin(actor, `design the forms of app "${appKey}"`)
  await platform.catalog.getApp(appKey)
  return listDesigns(platform.database.db, appKey)
}

/** A form's draft, or its published definition when it has no unpublished changes. */
export async function openFormDesign(
  platform: Platform,
  actor: Actor,
  appKey: string,
  formKey: string,
): Promise<FormDesign> {
  requireAdmin(actor, `design the forms of app "${appKey}"`)
  await platform.catalog.getApp(appKey)
  return readFormDesign(platform.database.db, appKey, formKey)
}

/**
 * Stores a form's draft after checking it (metadata.invalid with an issue
 * per problem, each naming its path such as `fields[2].options`). With
 * `create`, a form of that key must not exist yet.
 */
export async function saveFormDesign(
  platform: Platform,
  actor: Actor,
  appKey: string,
  formKey: string,
  definition: unknown,
  options: { create?: boolean } = {},
): Promise<FormDesign> {
  requireAdmin(actor, `design the forms of app "${appKey}"`)
  const checked = checkFormDefinition(definition, await formContext(platform, appKey, formKey))
  if (checked.key !== formKey) {
    throw new TesseraError(
      'request.invalid',
      `the form saved at "${formKey}" must have the key "${formKey}", got "${checked.key}"`,
      { details: { expected: formKey, received: checked.key },
        issues: [{ field: 'key', rule: 'const', message: `must be "${formKey}"` }] },
    )
  }
  if (options.create) await refuseTakenKey(platform, appKey, formKey)
  await platform.catalog.saveDraft(appKey, checked)
  return readFormDesign(platform.database.db, appKey, formKey)
}

/** The forms a definition may link to: the app's, and itself. */
async function formContext(platform: Platform, appKey: string, formKey: string) {
  const forms = (await platform.catalog.listForms(appKey)).map((form) => form.key)
  return { forms: [...new Set([...forms, formKey])] }
}

async function refuseTakenKey(platform: Platform, appKey: string, formKey: string): Promise<void> {
  const forms = await platform.catalog.listForms(appKey)
  if (!forms.some((form) => form.key === formKey)) return
  throw new TesseraError(
    'request.invalid',
    `app "${appKey}" already has a form "${formKey}"; choose another key`,
    { details: { form: formKey }, issues: [{ field: 'key', rule: 'unique', message: 'is taken' }] },
  )
}

/**
 * What publishing the form's draft (or `definition`, as if saved as the
 * draft) would change, computed by running the publish and rolling it
 * back; nothing is stored.
 */
export async function previewFormPublish(
  platform: Platform,
  actor: Actor,
  appKey: string,
  formKey: string,
  definition?: unknown,
): Promise<PublishChanges> {
  requireAdmin(actor, `publish the forms of app "${appKey}"`)
  const app = await platform.catalog.getApp(appKey)
  let draft: FormDefinition | undefined
  if (definition !== undefined) {
    draft = checkFormDefinition(definition, await formContext(platform, appKey, formKey))
    if (draft.key !== formKey) {
      throw new TesseraError('request.invalid', `the form previewed at "${formKey}" must have the key "${formKey}", got "${draft.key}"`)
    }
  } else {
    await readFormDesign(platform.database.db, appKey, formKey)
  }
  const changes = await previewPublish(platform.database, app, formKey, actor, draft)
  if (changes.problem || !changes.changed) return changes
  const next = draft ?? (await readFormDesign(platform.database.db, appKey, formKey)).definition
  const broken = await reportsBrokenBy(platform, appKey, formKey, next)
  const roles = await rolesNaming(platform, appKey, formKey, next)
  return {
    ...changes,
    ...(broken.length > 0 ? { reportsBroken: broken } : {}),
    ...(roles.length > 0 ? { rolesNaming: roles } : {}),
  }
}

/**
 * The app's roles whose rules on the form (a field's 只读 / 隐藏, own or
 * department rows by a field) name fields `definition` does not have.
 */
export async function rolesNaming(
  platform: Platform,
  appKey: string,
  formKey: string,
  definition: FormDefinition,
): Promise<NonNullable<PublishChanges['rolesNaming']>> {
  const keys = new Set(definition.fields.map((field) => field.key))
  const found: NonNullable<PublishChanges['rolesNaming']> = []
  for (const { key, spec } of await platform.catalog.listMetaSpecs<RoleSpec>(appKey, 'role')) {
    const grant = spec.forms?.[formKey]
    if (!grant) continue
    const rows = grant.rows && 'field' in grant.rows && typeof grant.rows.field === 'string' ? [grant.rows.field] : []
    const missing = [...new Set([...Object.keys(grant.fields ?? {}), ...rows])].filter((field) => !keys.has(field))
    if (missing.length > 0) found.push({ role: key, label: spec.label ?? key, fields: missing })
  }
  return found
}

/**
 * The app's reports that check against the forms as published and would
 * not with `definition` as the form's: the publish dialog warns of them
 * (they stop running until changed; renaming a field does not reach into
 * reports), with the dashboards showing each.
 */
export async function reportsBrokenBy(
  platform: Platform,
  appKey: string,
  formKey: string,
  definition: FormDefinition,
): Promise<NonNullable<PublishChanges['reportsBroken']>> {
  const published = platform.catalog.resolver(appKey)
  const current = await platform.catalog.findForm(appKey, formKey)
  const next: FormResolver = {
    getForm: async (key) => (key === formKey
      ? { app: appKey, key: formKey, version: (current?.version ?? 0) + 1, table: current?.table ?? { schema: '', name: '' }, definition }
      : published.getForm(key)),
  }
  const dashboards = await platform.catalog.listMetaSpecs<DashboardSpec>(appKey, 'dashboard')
  const broken: NonNullable<PublishChanges['reportsBroken']> = []
  for (const { key, spec } of await platform.catalog.listMetaSpecs<ReportSpec>(appKey, 'report')) {
    const fine = await checkReportSpec(spec, published).then(() => true, () => false)
    if (!fine) continue
    const problem = await checkReportSpec(spec, next).then(() => undefined, (error: unknown) => error)
    if (problem === undefined) continue
    const said = (locale: Locale) => (problem instanceof TesseraError ? problem.messages?.[locale] : undefined)
      ?? (problem instanceof Error ? problem.message : String(problem))
    broken.push({
      report: key,
      label: spec.label ?? key,
      messages: { 'zh-CN': said('zh-CN'), en: said('en') },
      dashboards: dashboards.filter((board) => reportsOf(board.spec).includes(key))
        .map((board) => ({ key: board.key, label: board.spec.label as LocalizedText })),
    })
  }
  return broken
}

/** Publishes the form's draft: its first version, or a new one if it changed. */
export async function publishFormDesign(
  platform: Platform,
  actor: Actor,
  appKey: string,
  formKey: string,
): Promise<PublishOutcome> {
  requireAdmin(actor, `publish the forms of app "${appKey}"`)
  const { catalog } = platform
  await catalog.getApp(appKey)
  const previous = await catalog.findForm(appKey, formKey)
  const draft = (await readFormDesign(platform.database.db, appKey, formKey)).definition
  // Told before the publish changes what they check against.
  const broken = await reportsBrokenBy(platform, appKey, formKey, draft)
  const roles = await rolesNaming(platform, appKey, formKey, draft)
  const [next] = await catalog.publish(appKey, [formKey], actor).catch(async (error: unknown) => {
    throw await publishRefusal(error, previous, draft, platform.database.db)
  })
  const definition = next?.definition ?? previous!.definition
  const version = next?.version ?? null
  const found = next && previous ? await emptyRequiredFields(platform.database.db, previous.definition, next) : []
  const held = next && previous ? await optionsStillHeld(platform.database.db, previous.definition, next) : []
  const changes = {
    ...publishChanges(previous?.definition, definition, version),
    ...(found.length > 0 ? { emptyRequired: found } : {}),
    ...(held.length > 0 ? { optionsInUse: held } : {}),
    ...(next && broken.length > 0 ? { reportsBroken: broken } : {}),
    ...(next && roles.length > 0 ? { rolesNaming: roles } : {}),
  }
  if (next) {
    await writeAudit(platform.database.db, {
      actor: actor.id, action: 'form.publish', app: appKey, form: formKey,
      before: previous?.definition ?? null, after: next.definition,
      context: { version: next.version, ...changeCounts(changes) },
    })
  }
  return { form: formKey, version: version ?? previous!.version, changes }
}

/** How many fields each kind of change touched, for the audit line. */
function changeCounts(changes: PublishChanges): Record<string, number> {
  const { added, renamed, retired, retyped, linesAdded, edited } = changes
  const counts = { added, renamed, retired, retyped, linesAdded, edited }
  return Object.fromEntries(Object.entries(counts).filter(([, list]) => list.length > 0)
    .map(([name, list]) => [name, list.length]))
}
