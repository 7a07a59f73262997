import { localize, type Locale, type LocalizedText } from '@tessera/core'
import { Alert, Tag, Tooltip } from 'antd'
import type { ReportResult } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import type { AboutLine } from './export-about.js'

type Translate = ReturnType<typeof useLocale>['t']

/**
 * What a result leaves out for its reader (the server names it): forms
 * they may not read, quoted and listed (「收款」、「冲减」), and fields hidden
 * from them (「客户」的「信用额度」). Undefined where nothing is.
 */
export function leftOutNames(result: ReportResult | undefined, locale: Locale, t: Translate) {
  const quote = (text: LocalizedText, key: string) => {
    const label = localize(text, locale) || key
    return locale === 'en' ? `"${label}"` : `「${label}」`
  }
  const list = (names: string[]) => names.length === 0 ? undefined : names.join(t('widget.listSeparator'))
  return {
    forms: list((result?.unreadable ?? []).map((one) => quote(one.label, one.form))),
    fields: list((result?.hidden ?? []).map((one) =>
      t('report.fieldOf', { form: quote(one.formLabel, one.form), field: quote(one.label, one.field) }))),
  }
}

/** The 说明 sheet's (and printout's) lines for what is left out, if anything. */
export function leftOutLines(result: ReportResult | undefined, locale: Locale, t: Translate): AboutLine[] {
  const { forms, fields } = leftOutNames(result, locale, t)
  return [
    ...(forms ? [[t('export.unreadable'), t('export.unreadableWhy', { forms })] as const] : []),
    ...(fields ? [[t('export.hidden'), t('export.hiddenWhy', { fields })] as const] : []),
  ]
}

/**
 * Says that a report's figures leave out what the reader may not see: in
 * full above a report's page, as a tag with the same sentences on hover in
 * a widget's title. Nothing when the reader sees all the report reads.
 * Exports and printouts say it too (leftOutLines).
 */
export function UnreadableNote({ result, compact = false }: { result: ReportResult | undefined; compact?: boolean }) {
  const { locale, t } = useLocale()
  const { forms, fields } = leftOutNames(result, locale, t)
  if (!forms && !fields) return null
  const keys = [
    ...(result?.unreadable ?? []).map((one) => one.form),
    ...(result?.hidden ?? []).map((one) => `${one.form}.${one.field}`),
  ].join(',')
  const sentences = [
    ...(forms ? [t('report.unreadable', { forms })] : []),
    ...(fields ? [t('report.hiddenFields', { fields })] : []),
  ].join(' ')
  if (compact) {
    return (
      <Tooltip title={sentences}>
        {/* Short, so a KPI card's title keeps its room: the sentence naming what is left out is its tooltip. */}
        <Tag color="warning" className="widget-unreadable" data-unreadable={keys} aria-label={sentences}>
          {t('widget.unreadable')}
        </Tag>
      </Tooltip>
    )
  }
  return <Alert type="warning" showIcon className="report-unreadable" data-unreadable={keys} message={sentences} />
}
