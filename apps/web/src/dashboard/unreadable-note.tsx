import { localize } from '@tessera/core'
import { Alert, Tag, Tooltip } from 'antd'
import type { Locale } from '@tessera/core'
import type { ReportResult } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import type { AboutLine } from './export-about.js'

type Translate = ReturnType<typeof useLocale>['t']

/** The forms a result leaves out for its reader, quoted and listed (「收款」、「冲减」); undefined for none. */
export function unreadableNames(result: ReportResult | undefined, locale: Locale, t: Translate): string | undefined {
  const forms = result?.unreadable ?? []
  if (forms.length === 0) return undefined
  return forms.map((one) => {
    const label = localize(one.label, locale) || one.form
    return locale === 'en' ? `"${label}"` : `「${label}」`
  }).join(t('widget.listSeparator'))
}

/** The 说明 sheet's (and printout's) line for the forms left out, if any. */
export function unreadableLine(result: ReportResult | undefined, locale: Locale, t: Translate): AboutLine | undefined {
  const names = unreadableNames(result, locale, t)
  return names === undefined ? undefined : [t('export.unreadable'), t('export.unreadableWhy', { forms: names })]
}

/**
 * Says that a report's figures leave out forms the reader may not read (the
 * server names them in `unreadable`): in full above a report's page, as a
 * tag with the same sentence on hover in a widget's title. Nothing when the
 * reader reads every form the report sums. Exports and printouts say it too
 * (unreadableLine).
 */
export function UnreadableNote({ result, compact = false }: { result: ReportResult | undefined; compact?: boolean }) {
  const { locale, t } = useLocale()
  const names = unreadableNames(result, locale, t)
  if (names === undefined) return null
  const keys = (result?.unreadable ?? []).map((one) => one.form).join(',')
  const sentence = t('report.unreadable', { forms: names })
  if (compact) {
    return (
      <Tooltip title={sentence}>
        <Tag color="warning" className="widget-unreadable" data-unreadable={keys}>{t('widget.unreadable', { forms: names })}</Tag>
      </Tooltip>
    )
  }
  return <Alert type="warning" showIcon className="report-unreadable" data-unreadable={keys} message={sentence} />
}
