import { localize, type FormDefinition, type PublishedForm } from '@tessera/core'
import { Alert, Typography } from 'antd'
import { useMemo } from 'react'
import { useLocale } from '../locale-context.js'
import { RecordEditor } from '../records/record-editor.js'
import type { DesignIssues } from './design-issues.js'

/**
 * The form as its users will see it, rendered by the record editor
 * itself: formulas, conditions and checks run as they will after
 * publishing. Nothing can be saved from here (the editor's buttons are
 * hidden); the form is drawn afresh after each change to the design.
 */
export function BuilderPreview({ app, definition, issues }: {
  app: string
  definition: FormDefinition
  issues: DesignIssues
}) {
  const { t, locale } = useLocale()
  const form = useMemo<PublishedForm>(() => ({
    app,
    key: definition.key,
    // Validators are cached by version: each design gets its own.
    version: 1_000_000_000 + hash(JSON.stringify(definition)),
    definition,
    table: { schema: app.replaceAll('-', '_'), name: definition.key },
  }), [app, definition])

  if (issues.all.length > 0) {
    return <Alert type="warning" showIcon title={t('fb.problems', { count: issues.all.length })} />
  }
  return (
    <div className="fb-preview" data-preview-form={definition.key}>
      <Alert type="info" showIcon className="fb-preview-hint" title={t('fb.previewHint')} />
      {definition.description && (
        // Shown where the record pages show it, under their title.
        <Typography.Paragraph type="secondary" className="form-description" data-form-description="">
          {localize(definition.description, locale)}
        </Typography.Paragraph>
      )}
      <RecordEditor key={form.version} app={app} form={form} onReload={() => {}} actions={[]} />
    </div>
  )
}

/** A small non-negative hash of a text (FNV-1a). */
function hash(text: string): number {
  let value = 0x811c9dc5
  for (let i = 0; i < text.length; i += 1) {
    value ^= text.charCodeAt(i)
    value = Math.imul(value, 0x01000193)
  }
  return (value >>> 0) % 1_000_000_000
}
