import { TesseraError, localize, type Actor, type Locale } from '@tessera/core'
import { checkMapping } from '@tessera/importer'
import { forbidden, type Catalog, type RoleGrants } from '@tessera/store'

/**
 * An import writes many records at once, upserting by key, so it needs
 * more than a single write: on every form the mapping writes, the import
 * action with all rows in reach (an upsert could otherwise overwrite a
 * record out of the actor's sight) and no hidden or read-only field among
 * the values it sets. Throws 403 auth.forbidden naming the form.
 */
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
    if (!grants.can(form.key, 'import')) throw forbidden(actor, form, 'import', locale)
    if (grants.rows(form.key, 'import') !== 'all') {
      throw forbidden(actor, form, 'import', locale, {
        reason: { zh: '导入要求可触及该表单的全部记录', en: 'imports need every row of the form in reach' },
      })
    }
    const restricted = Object.keys(record.values ?? {}).filter((key) => grants.fields(form.key).has(key))
    if (restricted.length > 0) {
      throw new TesseraError('auth.forbidden', locale === 'en'
        ? `you may not import into field(s) ${restricted.join(', ')} of form "${form.key}"`
        : `你无权导入表单「${localize(form.definition.label, 'zh-CN')}」的字段 ${restricted
      .map((key) => `「${localize(form.definition.fields.find((field) => field.key === key.split('.')[0])?.label ?? key, 'zh-CN')}」`).join('、')}`, {
        details: { actor: actor.id, app: appKey, form: form.key, fields: restricted, mapping: mappingKey },
      })
    }
  }
}
