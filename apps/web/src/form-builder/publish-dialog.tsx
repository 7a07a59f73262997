import { localize } from '@tessera/core'
import { Alert, List, Modal, Spin, Tag, Typography } from 'antd'
import type { ReactNode } from 'react'
import type { MessageKey } from '../i18n.js'
import { useLocale } from '../locale-context.js'
import type { ChangedField, PublishChanges } from './form-builder-api.js'

interface PublishDialogProps {
  open: boolean
  title: string
  /** The preview's answer; undefined while it is being worked out. */
  changes?: PublishChanges
  error?: string
  publishing: boolean
  onPublish(): void
  onClose(): void
}

/** What publishing will change, from the server's dry run, then Publish. */
export function PublishDialog(props: PublishDialogProps) {
  const { open, title, changes, error, publishing, onPublish, onClose } = props
  const { t } = useLocale()
  const blocked = Boolean(changes?.problem) || Boolean(error)
  const ready = changes !== undefined && !blocked && changes.changed
  return (
    <Modal open={open} title={title} onCancel={onClose} onOk={onPublish} destroyOnHidden
      okText={t('fb.publishConfirm')} okButtonProps={{ disabled: !ready, loading: publishing, 'data-action': 'confirm-publish' } as never}
      cancelText={t('form.cancel')} width={640}>
      <div data-publish-summary={changes ? (blocked ? 'blocked' : 'ready') : 'waiting'}>
        {error ? <Alert type="error" showIcon title={error} />
          : !changes ? <Spin tip={t('fb.checking')}><div style={{ height: 80 }} /></Spin>
          : <ChangeSummary changes={changes} />}
      </div>
    </Modal>
  )
}

/** The changes a publish makes, its warnings first (stored records left empty, reports it stops). */
export function ChangeSummary({ changes }: { changes: PublishChanges }) {
  const { locale, t } = useLocale()
  const name = (field: ChangedField) => `${localize(field.label, locale)} (${field.path})`
  const groups: { key: MessageKey; items: ReactNode[]; hook: string }[] = [
    { key: 'fb.change.added', hook: 'added', items: changes.added.map(name) },
    { key: 'fb.change.linesAdded', hook: 'lines', items: changes.linesAdded.map(name) },
    { key: 'fb.change.renamed', hook: 'renamed', items: changes.renamed.map((f) => `${f.from} → ${f.key} · ${localize(f.label, locale)}`) },
    { key: 'fb.change.retired', hook: 'retired', items: changes.retired.map(name) },
    {
      key: 'fb.change.retyped', hook: 'retyped',
      items: changes.retyped.map((f) => (
        <span key={f.path}>
          {name(f)}: {f.from} → {f.type}{' '}
          <Tag color={f.status === 'blocked' || f.status === 'unsupported' ? 'red' : 'green'}>
            {f.status === 'blocked'
              ? t('fb.retype.blocked', { count: f.count ?? 0, ids: (f.blocking ?? []).join(', #') })
              : t(`fb.retype.${f.status}`)}
          </Tag>
        </span>
      )),
    },
    { key: 'fb.change.edited', hook: 'edited', items: changes.edited.map((f) => `${name(f)}: ${f.changes.join(', ')}`) },
    { key: 'fb.change.settings', hook: 'settings', items: (changes.settings ?? []).map((setting) => t(SETTING_NAMES[setting])) },
  ]

  return (
    <div className="fb-changes">
      {changes.problem && (
        <Alert type="error" showIcon className="fb-problem" title={t('fb.blocked')}
          description={changes.problem.messages?.[locale] ?? changes.problem.message}
          data-publish-problem={changes.problem.code} />
      )}
      {!changes.changed && !changes.problem && <Alert type="info" showIcon title={t('fb.nothingToPublish')} />}
      {(changes.emptyRequired ?? []).length > 0 && (
        <Alert type="warning" showIcon className="fb-empty-required" data-empty-required=""
          title={t('fb.emptyRequired')}
          description={(changes.emptyRequired ?? []).map((field) => (
            <div key={field.path} data-empty-field={field.key}>
              {t('fb.emptyRequired.field', { field: localize(field.label, locale), count: field.count })}
            </div>
          ))} />
      )}
      {(changes.optionsInUse ?? []).length > 0 && (
        <Alert type="warning" showIcon className="fb-options-in-use" data-options-in-use=""
          title={t('fb.optionsInUse')}
          description={(changes.optionsInUse ?? []).map((field) => (
            <div key={field.path} data-option-field={field.path}>
              {t('fb.optionsInUse.field', {
                field: localize(field.label, locale), options: field.options.join(t('fb.listSeparator')), count: field.count,
              })}
            </div>
          ))} />
      )}
      {(changes.reportsBroken ?? []).length > 0 && (
        <Alert type="warning" showIcon className="fb-reports-broken" data-reports-broken=""
          title={t('fb.reportsBroken')}
          description={(changes.reportsBroken ?? []).map((report) => (
            <div key={report.report} data-broken-report={report.report}>
              {t('fb.reportsBroken.report', {
                report: localize(report.label, locale),
                problem: report.messages[locale] ?? report.messages.en,
              })}
              {report.dashboards.length > 0 && t('fb.reportsBroken.dashboards', {
                dashboards: report.dashboards.map((one) => localize(one.label, locale)).join(t('fb.listSeparator')),
              })}
            </div>
          ))} />
      )}
      {(changes.rolesNaming ?? []).length > 0 && (
        <Alert type="warning" showIcon className="fb-roles-naming" data-roles-naming=""
          title={t('fb.rolesNaming')}
          description={(changes.rolesNaming ?? []).map((role) => (
            <div key={role.role} data-naming-role={role.role}>
              {t('fb.rolesNaming.role', { role: localize(role.label, locale), fields: role.fields.join(t('fb.listSeparator')) })}
            </div>
          ))} />
      )}
      {changes.changed && !changes.problem && (
        <Typography.Paragraph strong>
          {changes.isNew ? `${t('fb.change.new')} · ` : ''}{t('fb.change.version', { version: changes.version ?? '' })}
        </Typography.Paragraph>
      )}
      {changes.formLabel && (
        <Typography.Paragraph>
          {t('fb.change.formLabel', { from: localize(changes.formLabel.from, locale), to: localize(changes.formLabel.to, locale) })}
        </Typography.Paragraph>
      )}
      {groups.filter((group) => group.items.length > 0).map((group) => (
        <List key={group.hook} size="small" header={<b>{t(group.key)}</b>} dataSource={group.items}
          data-change-group={group.hook} renderItem={(item) => <List.Item>{item}</List.Item>} />
      ))}
      {changes.layoutChanged && <Typography.Paragraph type="secondary">{t('fb.change.layout')}</Typography.Paragraph>}
    </div>
  )
}

const SETTING_NAMES: Record<NonNullable<PublishChanges['settings']>[number], MessageKey> = {
  description: 'fb.setting.description',
  titleField: 'fb.setting.titleField',
  periodField: 'fb.setting.periodField',
  uniques: 'fb.uniques',
  rules: 'fb.rules',
  constraints: 'fb.constraints',
  agreements: 'fb.agreements',
  list: 'fb.list',
  picker: 'fb.pickerFields',
}
