import { requireAdmin, TesseraError, type Actor, type FormDefinition } from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import {
  listFormDesigns as listDesigns,
  emptyRequiredFields,
  previewPublish,
  publishChanges,
  publishRefusal,
  readFormDesign,
  writeAudit,
  type FormDesign,
  type FormDesignSummary,
  type PublishChanges,
} from '@tessera/store'
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
  return previewPublish(platform.database, app, formKey, actor, draft)
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
  const [next] = await catalog.publish(appKey, [formKey], actor).catch(async (error: unknown) => {
    throw await publishRefusal(error, previous, draft, platform.database.db)
  })
  const definition = next?.definition ?? previous!.definition
  const version = next?.version ?? null
  const found = next && previous ? await emptyRequiredFields(platform.database.db, previous.definition, next) : []
  const changes = { ...publishChanges(previous?.definition, definition, version), ...(found.length > 0 ? { emptyRequired: found } : {}) }
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
