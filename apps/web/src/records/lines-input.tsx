import type { LineFieldDefinition, LinesField, Locale } from '@tessera/core'
import { localize } from '@tessera/core'
import { Button, Grid, Table } from 'antd'
import type { TableColumnsType } from 'antd'
// The form item's error status would reach every input of every line; the
// lines set each cell's status themselves. antd has no public way to stop
// it (pinned version; see pnpm-lock.yaml).
import { NoFormStyle } from 'antd/es/form/context'
import { useLocale } from '../locale-context.js'
import { CellControl } from './cell-control.js'

type Row = Record<string, unknown>

interface LinesInputProps {
  id?: string
  /** The rows, as the API carries them: objects keyed by line field. */
  value?: Row[] | null
  onChange?(value: Row[]): void
  field: LinesField
  app: string
  status?: 'error'
  /**
   * The cells issues name ("<row>.<column>", rows from 0) and "*" for the
   * field as a whole. Without it an error outlines every line.
   */
  badCells?: readonly string[]
  disabled?: boolean
}

const NUMERIC = new Set(['money', 'number', 'percent'])

/**
 * Line items as an editable table: one input per line field and row, a
 * button to add a row and one per row to remove it. Line formulas are
 * filled in by the form's live logic (the same code the server runs), so
 * line totals change as the user types. Rows carry `data-line="<index>"`,
 * cells `data-column="<line field>"`; on a phone the rows are cards.
 */
export function LinesInput({ id, value, onChange, field, app, status, badCells }: LinesInputProps) {
  const { locale, t } = useLocale()
  const screens = Grid.useBreakpoint()
  const rows = value ?? []

  const change = (index: number, key: string, cell: unknown) => {
    const next = rows.map((row, position) => (position === index ? { ...row, [key]: cell } : row))
    onChange?.(next)
  }
  const remove = (index: number) => onChange?.(rows.filter((_, position) => position !== index))
  const add = () => onChange?.([...rows, {}])

  // Only the cells named are outlined; the whole field when an issue is about it
  // (or when the caller cannot say which cells).
  const whole = status === 'error' && (badCells === undefined || badCells.includes('*') || badCells.length === 0)
  const bad = (index: number, key: string) => status === 'error' && !!badCells?.includes(`${index}.${key}`)

  const cellLabel = (index: number, line: LineFieldDefinition) =>
    `${t('form.lines.row', { n: index + 1 })} ${localize(line.label, locale)}`

  const columns: TableColumnsType<Row & { __index: number }> = [
    ...field.fields.map((line) => ({
      key: line.key,
      title: columnTitle(line, locale),
      align: NUMERIC.has(line.type === 'formula' ? line.result : line.type) ? ('right' as const) : undefined,
      onCell: (row: Row & { __index: number }) => ({
        'data-column': line.key,
        className: bad(row.__index, line.key) ? 'lines-cell-error' : undefined,
      }) as React.HTMLAttributes<HTMLElement>,
      render: (_: unknown, row: Row & { __index: number }) => (
        <CellControl
          field={line}
          app={app}
          locale={locale}
          value={row[line.key]}
          onChange={(cell) => change(row.__index, line.key, cell)}
          invalid={whole || bad(row.__index, line.key)}
          label={cellLabel(row.__index, line)}
        />
      ),
    })),
    {
      key: '__remove',
      width: 72,
      render: (_: unknown, row: Row & { __index: number }) => (
        <Button size="small" type="link" danger onClick={() => remove(row.__index)} data-action="remove-line">
          {t('form.lines.remove')}
        </Button>
      ),
    },
  ]

  const className = whole ? 'lines-input lines-input-error' : 'lines-input'
  // A phone has no room for a row of inputs: each line becomes a card of
  // labelled inputs, with the same hooks as the table's rows and cells.
  if (!screens.sm && screens.xs) {
    return (
      <NoFormStyle status>
        <div id={id} className={`${className} lines-cards`}>
          {rows.length === 0 && <div className="lines-empty">{t('form.lines.empty')}</div>}
          {rows.map((row, index) => (
            <div key={index} className="lines-card" data-line={index}>
              <div className="lines-card-head">
                <span>{t('form.lines.row', { n: index + 1 })}</span>
                <Button size="small" type="link" danger onClick={() => remove(index)} data-action="remove-line">
                  {t('form.lines.remove')}
                </Button>
              </div>
              {field.fields.map((line) => (
                <div key={line.key} data-column={line.key}
                  className={bad(index, line.key) ? 'lines-card-field lines-cell-error' : 'lines-card-field'}>
                  <span className="lines-card-label">{columnTitle(line, locale)}</span>
                  <CellControl field={line} app={app} locale={locale} value={row[line.key]}
                    onChange={(cell) => change(index, line.key, cell)} invalid={whole || bad(index, line.key)}
                    label={cellLabel(index, line)} />
                </div>
              ))}
            </div>
          ))}
          <Button onClick={add} className="lines-add" data-action="add-line">
            {t('form.lines.add')}
          </Button>
        </div>
      </NoFormStyle>
    )
  }

  return (
    <NoFormStyle status>
      <div id={id} className={className}>
        <Table<Row & { __index: number }>
          size="small"
          pagination={false}
          rowKey="__index"
          columns={columns}
          dataSource={rows.map((row, index) => ({ ...row, __index: index }))}
          onRow={(row) => ({ 'data-line': row.__index }) as React.HTMLAttributes<HTMLElement>}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('form.lines.empty') }}
        />
        <Button onClick={add} className="lines-add" data-action="add-line">
          {t('form.lines.add')}
        </Button>
      </div>
    </NoFormStyle>
  )
}

function columnTitle(field: LineFieldDefinition, locale: Locale): string {
  const label = localize(field.label, locale)
  return field.required ? `${label} *` : label
}
