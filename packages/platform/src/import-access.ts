import {
  TesseraError,
  localize,
  type Actor,
  type FieldIssue,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { checkMapping } from '@tessera/importer'
import { forbidden, type Catalog, type RoleGrants } from '@tessera/store'

type ImportAction = 'import' | 'read' | 'create' | 'update'

/** Why an import needs each action besides `import` itself. */
const NEEDED: Record<ImportAction, { zh: string; en: string } | undefined> = {
  import: undefined,
  read: { zh: '导入按键查找已有记录，需要能查看全部记录', en: 'an import finds stored records by key, so it must read them all' },
  create: { zh: '导入会新建记录', en: 'an import creates records' },
  update: { zh: '按键导入会修改它找到的记录', en: 'an import by key changes the stored records it finds' },
}
const ALL_ROWS = { zh: '导入要求可触及该表单的全部记录', en: 'imports need every row of the form in reach' }

/**
 * What an import of one form needs, or the refusal. An import writes many
 * records at once and answers for each line whether its key was found, so
 * it needs, with every row in reach (a narrower reach would let a key
 * match, and overwrite or reveal, a record out of the actor's sight):
 * `import`, `read`, `create`, and `update` when it upserts by a key; and
 * none of the fields it sets hidden from the actor or read-only for them.
 * The refusal is 403 auth.forbidden naming the form, or the fields with an
 * issue each.
 */
export function importRefusal(
  grants: RoleGrants,
  actor: Actor,
  form: PublishedForm,
  written: { fields: string[]; byKey: boolean },
  locale: Locale,
  details: Record<string, unknown> = {},
): TesseraError | undefined {
  const actions: ImportAction[] = ['import', 'read', 'create', ...(written.byKey ? ['update' as const] : [])]
  for (const action of actions) {
    const reason = NEEDED[action]
    if (!grants.can(form.key, action)) return forbidden(actor, form, action, locale, reason ? { reason } : {})
    if (grants.rows(form.key, action) !== 'all') return forbidden(actor, form, action, locale, { reason: ALL_ROWS })
  }
  const rules = grants.fields(form.key)
  const restricted = [...new Set(written.fields.map((key) => key.split('.')[0]))].filter((key) => rules.has(key))
  if (restricted.length === 0) return undefined
  const label = (key: string) => localize(form.definition.fields.find((field) => field.key === key)?.label ?? key, locale)
  const issues: FieldIssue[] = restricted.map((key) => {
    const hidden = rules.get(key) === 'hidden'
    return {
      field: key,
      rule: hidden ? 'hidden' : 'readonly',
      message: locale === 'en'
        ? `"${label(key)}" is ${hidden ? 'hidden from you' : 'read-only for you'} and cannot be imported`
        : `「${label(key)}」对你${hidden ? '不可见' : '只读'}，不能导入`,
    }
  })
  return new TesseraError('auth.forbidden', locale === 'en'
    ? `you may not import into field(s) ${restricted.join(', ')} of form "${form.key}"`
    : `你无权导入表单「${localize(form.definition.label, 'zh-CN')}」的字段 ${restricted.map((key) => `「${label(key)}」`).join('、')}`, {
    details: { actor: actor.id, app: form.app, form: form.key, fields: restricted, ...details },
    issues,
  })
}

/** Every form a mapping writes needs what `importRefusal` asks; throws the first refusal. */
export async function assertImportAllowed(
  catalog: Catalog,
  grants: RoleGrants,
  actor: Actor,
  appKey: string,
  mappingKey: string,
  locale: Locale = 'zh-CN',
): Promise<void> {
  const spec = await catalog.getMeta(appKey, 'import', mappingKey)
  const mapping = await checkMapping(spec, catalog.resolver(appKey))

  for (const record of mapping.records) {
    const form = await catalog.getForm(appKey, record.form)
    const refusal = importRefusal(grants, actor, form, { fields: Object.keys(record.values ?? {}), byKey: record.key.length > 0 }, locale, { mapping: mappingKey })
    if (refusal) throw refusal
  }
}
