import { type RawBuilder, sql } from 'kysely'
import { type Locale, type PublishedForm, TesseraError, isValidTimeZone } from '@tessera/core'

import type { RunShape } from './plan-report.js'

/**
 * How a report runs: the company time zone (for "today" and for reading
 * timestamps as dates), the locale of labels and messages, and what the run
 * adds to the spec (RunShape): dashboard filters, a drill path's dimension
 * values and the dimensions to group by.
 *
 * @example
 * { timeZone: 'Asia/Shanghai', locale: 'zh-CN',
 *   filters: [{ field: 'customer.region', values: ['华东'] }],
 *   match: { region: '华东' }, group: ['customer'] }
 */
export interface ReportOptions extends RunShape {
  timeZone: string
  locale: Locale
  /** The moment "today" is taken from; the current time when absent. */
  now?: Date
  /**
   * The FROM item for a form's rows under an alias; its plain table when
   * absent. The platform passes the record query layer's source here, so
   * the reader's row scope applies to reports exactly as to lists.
   */
  source?: RowSource
}

export type RowSource = ((form: PublishedForm, alias: string) => RawBuilder<unknown>) & {
  /**
   * Whether the rollup field `key` of `form` reads, through this source,
   * as its stored column: the sum (or count) of every linked record the
   * reader may read, kept up to date by the writes. Only then may a report
   * rollup over the same records start from it (see compile-rollup.ts).
   * A source without this answers no.
   */
  readsStored?: (form: PublishedForm, key: string) => boolean
  /**
   * Told of each field a report reads, by its form, as the statement is
   * compiled (a link path tells each field on the way): so a caller can
   * say which of them the reader's source reads as empty.
   */
  noteField?: (form: PublishedForm, key: string) => void
}

/** A form's whole table under an alias: every stored column as it is. */
export const tableSource: RowSource = Object.assign(
  (form: PublishedForm, alias: string) => sql`${sql.id(form.table.schema, form.table.name)} as ${sql.id(alias)}`,
  { readsStored: () => true },
)

export function assertOptions(options: ReportOptions): void {
  if (!isValidTimeZone(options.timeZone)) {
    throw new TesseraError(
      'request.invalid',
      `report time zone must be an IANA zone such as "Asia/Shanghai", got ${JSON.stringify(options.timeZone)}`,
      { details: { expected: 'IANA time zone', received: options.timeZone } },
    )
  }
  if (options.locale !== 'zh-CN' && options.locale !== 'en') {
    throw new TesseraError(
      'request.invalid',
      `report locale must be "zh-CN" or "en", got ${JSON.stringify(options.locale)}`,
      { details: { expected: ['zh-CN', 'en'], received: options.locale } },
    )
  }
}
