import type { FieldIssue, FormDefinition } from '@tessera/core'
import { Tooltip } from 'antd'
import type { MessageKey } from '../i18n.js'
import { useLocale } from '../locale-context.js'
import { issuePlace, issueWording, WORDED_RULES } from './design-issues.js'

/**
 * One problem of a definition in the reader's language: the field it lies
 * in and what is wrong, with the engine's own (English) words and path in
 * a tooltip for the details.
 */
export function IssueText({ issue, definition }: { issue: FieldIssue; definition: FormDefinition }) {
  const { locale, t } = useLocale()
  const better = issueWording(issue)
  const problem = better
    ? t(better.key as MessageKey, better.values)
    : issue.rule && WORDED_RULES.has(issue.rule)
      ? t(`fb.rule.${issue.rule}` as MessageKey)
      : issue.message
  const text = t('fb.issueOf', { field: issuePlace(definition, issue.field ?? '', locale), problem })
  return (
    <Tooltip title={`${issue.field}: ${issue.message}`}>
      <span data-issue={issue.field} tabIndex={0}>{text}</span>
    </Tooltip>
  )
}
