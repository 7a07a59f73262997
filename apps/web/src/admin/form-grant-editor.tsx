import {
  FORM_ACTIONS,
  localize,
  ROW_RULE_KINDS,
  type FieldRule,
  type FormDefinition,
  type FormAction,
  type RowRuleKind,
} from '@tessera/core'
import { Card, Checkbox, Input, Segmented, Select, Space, Typography } from 'antd'
import { useLocale } from '../locale-context.js'
import { fieldRuleChoices, rowRuleFields, type GrantDraft, type RowsDraft } from './role-draft.js'

interface FormGrantEditorProps {
  definition: FormDefinition
  grant: GrantDraft
  onChange(grant: GrantDraft): void
  /** Problems the server (or the draft) found under forms.<form>, by path. */
  problems: { path: string; message: string }[]
}

type FieldChoice = FieldRule | 'free'

/**
 * One form's grant in the role editor: action checkboxes, the row rule
 * (kind, then its field, link or JSON rule) and a hidden / read-only choice
 * per field. Test hooks: `data-form-grant=<form>`, `data-action-box=<action>`,
 * `data-rows-kind`, `data-field-rule=<field>`.
 */
export function FormGrantEditor({ definition, grant, onChange, problems }: FormGrantEditorProps) {
  const { t, locale } = useLocale()
  const setRows = (rows: Partial<RowsDraft>) => onChange({ ...grant, rows: { ...grant.rows, ...rows } })
  const setField = (key: string, choice: FieldChoice) => {
    const fields = { ...grant.fields }
    if (choice === 'free') delete fields[key]
    else fields[key] = choice
    onChange({ ...grant, fields })
  }

  const owners = rowRuleFields(definition.fields, 'own')
  const departments = rowRuleFields(definition.fields, 'department')
  const links = definition.fields.filter((f) => f.type === 'link')
  const option = (f: { key: string; label: FormDefinition['label'] }) => ({ value: f.key, label: localize(f.label, locale) })

  return (
    <Card size="small" className="form-grant" data-form-grant={definition.key} title={localize(definition.label, locale)}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Checkbox.Group
          value={grant.actions}
          onChange={(values) => onChange({ ...grant, actions: FORM_ACTIONS.filter((a) => values.includes(a)) })}
          options={FORM_ACTIONS.map((action: FormAction) => ({
            value: action,
            label: <span data-action-box={action}>{t(`access.action.${action}`)}</span>,
          }))}
        />
        <Space wrap>
          <Typography.Text>{t('access.rows')}</Typography.Text>
          <Select<RowRuleKind>
            data-rows-kind={grant.rows.kind}
            style={{ width: 180 }}
            value={grant.rows.kind}
            onChange={(kind) => setRows({ kind })}
            options={ROW_RULE_KINDS.map((kind) => ({ value: kind, label: t(`access.rows.${kind}`) }))}
          />
          {(grant.rows.kind === 'own' || grant.rows.kind === 'department') && (
            <Select
              style={{ width: 200 }}
              value={grant.rows.field}
              onChange={(field) => setRows({ field })}
              options={[
                { value: '', label: t('access.rows.creator') },
                ...(grant.rows.kind === 'own' ? owners : departments).map(option),
              ]}
            />
          )}
          {grant.rows.kind === 'via' && (
            <Select style={{ width: 200 }} value={grant.rows.link || undefined} placeholder={t('access.rows.link')}
              onChange={(link) => setRows({ link })} options={links.map(option)} />
          )}
        </Space>
        {grant.rows.kind === 'custom' && (
          <Input.TextArea
            rows={4}
            value={grant.rows.rule}
            placeholder={t('access.rows.rule')}
            onChange={(event) => setRows({ rule: event.target.value })}
            style={{ fontFamily: 'monospace' }}
          />
        )}
        <Typography.Text strong>{t('access.fields')}</Typography.Text>
        <div className="grant-fields">
          {definition.fields.map((field) => (
            <div key={field.key} className="grant-field" data-field-rule={field.key}>
              <span>{localize(field.label, locale)}</span>
              <Segmented<FieldChoice>
                size="small"
                // A computed field stored read-only (by the API) is shown: it is never written anyway.
                value={fieldRuleChoices(field).includes(grant.fields[field.key] ?? 'free') ? grant.fields[field.key] ?? 'free' : 'free'}
                onChange={(choice) => setField(field.key, choice)}
                options={fieldRuleChoices(field).map((choice) => ({
                  value: choice,
                  // A computed field is never typed: its one visible choice says so.
                  label: t(choice === 'free' && fieldRuleChoices(field).length === 2 ? 'access.field.shown' : `access.field.${choice}`),
                }))}
              />
            </div>
          ))}
        </div>
        {problems.map((problem) => (
          <Typography.Text key={problem.path} type="danger" data-problem={problem.path}>
            {problem.path}: {problem.message}
          </Typography.Text>
        ))}
      </Space>
    </Card>
  )
}
