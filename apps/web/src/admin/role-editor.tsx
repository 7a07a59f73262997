import { localize, type FormDefinition, type RoleSpec } from '@tessera/core'
import { Alert, App, Button, Checkbox, Input, Popconfirm, Space, Typography } from 'antd'
import { useState } from 'react'
import { isApiError } from '../api/api-error.js'
import type { NamedItem } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import { FormGrantEditor } from './form-grant-editor.js'
import { useDeleteRole, useSaveRole } from './roles-api.js'
import { emptyDraft, fromDraft, staleFieldRules, toDraft, type DraftProblem, type KeyChoice, type RoleDraft } from './role-draft.js'

interface RoleEditorProps {
  app: string
  /** The stored role, or undefined for a new one. */
  role?: RoleSpec
  forms: FormDefinition[]
  reports: NamedItem[]
  dashboards: NamedItem[]
  onSaved(key: string): void
  onDeleted(): void
}

/**
 * Edits one role document as metadata: labels, the app-admin switch, a
 * grant per form, and the reports and dashboards it opens. Saving sends the
 * whole document; the server checks it and answers problems by path, shown
 * beside the part they concern. Test hooks: `data-action="save-role"`,
 * `data-action="delete-role"`, `data-role-editor=<key>`.
 */
export function RoleEditor({ app, role, forms, reports, dashboards, onSaved, onDeleted }: RoleEditorProps) {
  const { t, locale } = useLocale()
  const { message } = App.useApp()
  const formKeys = forms.map((f) => f.key)
  // Rules on fields taken out of their forms since: dropped from the draft, and said so.
  const [stale, setStale] = useState(() => (role ? staleFieldRules(role, forms) : []))
  const [draft, setDraft] = useState<RoleDraft>(() => role ? toDraft(role, formKeys, stale) : emptyDraft(formKeys))
  const [problems, setProblems] = useState<DraftProblem[]>([])
  const save = useSaveRole(app)
  const remove = useDeleteRole(app)
  const set = (change: Partial<RoleDraft>) => setDraft({ ...draft, ...change })

  const submit = () => {
    const { spec, problems: local } = fromDraft(draft)
    setProblems(local)
    if (local.length > 0) return
    save.mutate(spec, {
      onSuccess: () => {
        message.success(t('access.saved'))
        // Saved without them: the note has been acted on.
        setStale([])
        onSaved(spec.key)
      },
      onError: (error) => {
        // Said where the reader is (beside 保存), as well as beside the parts concerned.
        message.error(error instanceof Error ? error.message : String(error))
        if (!isApiError(error)) return
        const found = error.issues.map((i) => ({ path: i.field ?? '', message: i.message }))
        setProblems(found.length > 0 ? found : [{ path: '', message: error.message }])
      },
    })
  }

  const under = (prefix: string) => problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`))
  const general = problems.filter((p) => !p.path.startsWith('forms.'))

  return (
    <div className="role-editor" data-role-editor={role?.key ?? 'new'}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Input addonBefore={t('access.roleKey')} value={draft.key} disabled={role !== undefined}
            onChange={(e) => set({ key: e.target.value })} style={{ width: 260 }} data-input="role-key" />
          <Input addonBefore={t('access.labelZh')} value={draft.labelZh}
            onChange={(e) => set({ labelZh: e.target.value })} style={{ width: 260 }} data-input="role-label" />
          <Input addonBefore={t('access.labelEn')} value={draft.labelEn}
            onChange={(e) => set({ labelEn: e.target.value })} style={{ width: 260 }} />
        </Space>
        <Input.TextArea rows={2} placeholder={t('access.description')} value={draft.descriptionZh}
          onChange={(e) => set({ descriptionZh: e.target.value })} />
        <Checkbox checked={draft.admin} onChange={(e) => set({ admin: e.target.checked })}>
          {t('access.appAdmin')}
        </Checkbox>
        {stale.length > 0 && (
          <Alert type="warning" showIcon data-stale-fields={stale.map((one) => `${one.form}.${one.field}`).join(',')}
            message={t('access.staleFields', {
              fields: stale.map((one) => {
                const form = forms.find((candidate) => candidate.key === one.form)
                return `${form ? localize(form.label, locale) : one.form} · ${one.field}`
              }).join(t('widget.listSeparator')),
            })} />
        )}
        {general.length > 0 && (
          <Alert type="error" showIcon message={t('access.invalid', { count: problems.length })}
            description={general.map((p) => <div key={p.path}>{p.path ? `${p.path}: ` : ''}{p.message}</div>)} />
        )}
        {!draft.admin && (
          <>
            <Typography.Title level={5}>{t('access.forms')}</Typography.Title>
            {forms.map((form) => (
              <FormGrantEditor key={form.key} definition={form} grant={draft.forms[form.key]}
                problems={under(`forms.${form.key}`)}
                onChange={(grant) => set({ forms: { ...draft.forms, [form.key]: grant } })} />
            ))}
            <KeyChoiceEditor title={t('access.reports')} items={reports} choice={draft.reports}
              onChange={(reportsChoice) => set({ reports: reportsChoice })} name="reports" />
            <KeyChoiceEditor title={t('access.dashboards')} items={dashboards} choice={draft.dashboards}
              onChange={(dashboardsChoice) => set({ dashboards: dashboardsChoice })} name="dashboards" />
          </>
        )}
        <Space>
          <Button type="primary" loading={save.isPending} onClick={submit} data-action="save-role">
            {t('admin.save')}
          </Button>
          {role && (
            <Popconfirm title={t('access.deleteRoleConfirm', { role: localize(role.label, locale) })}
              onConfirm={() => remove.mutate(role.key, { onSuccess: () => { message.success(t('access.deleted')); onDeleted() } })}>
              <Button danger data-action="delete-role">{t('access.deleteRole')}</Button>
            </Popconfirm>
          )}
        </Space>
      </Space>
    </div>
  )
}

interface KeyChoiceEditorProps {
  title: string
  name: string
  items: NamedItem[]
  choice: KeyChoice
  onChange(choice: KeyChoice): void
}

function KeyChoiceEditor({ title, name, items, choice, onChange }: KeyChoiceEditorProps) {
  const { t, locale } = useLocale()
  return (
    <div data-key-choice={name}>
      <Typography.Title level={5}>{title}</Typography.Title>
      <Space direction="vertical">
        <Checkbox checked={choice.all} onChange={(e) => onChange({ ...choice, all: e.target.checked })}>
          {t('access.everything')}
        </Checkbox>
        {!choice.all && (
          <Checkbox.Group value={choice.keys} onChange={(keys) => onChange({ all: false, keys: keys as string[] })}
            options={items.map((item) => ({ value: item.key, label: localize(item.label, locale) }))} />
        )}
      </Space>
    </div>
  )
}
