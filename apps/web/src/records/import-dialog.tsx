import { Alert, Button, Modal, Progress, Select, Space, Table, Typography } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import type { FieldDefinition, Locale } from '@tessera/core'
import { apiPath, apiRequest } from '../api/api-client.js'
import { formatFieldValue, isNumericType } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'
import {
  errorReportUrl,
  importProgress,
  newJobId,
  uploadImport,
  type ImportAnswer,
  type ImportProblem,
  type ImportSetup,
  type ImportSpec,
} from './import-client.js'
import { invalidateFormData } from './record-mutations.js'

interface ImportDialogProps {
  app: string
  form: string
  open: boolean
  onClose(): void
}

const PREVIEW_ROWS = 20

/**
 * Imports a CSV or Excel file into a form in three steps: choose the file
 * (the server previews its first rows with the columns it guesses, or
 * those used last time), adjust which column fills which field and which
 * fields find existing records, then import with a progress bar. A
 * rejected import lists its problems by line and column, with a link to
 * download them. Test hooks: `data-import="file" | "column" | "run" | "preview" | "problems"`.
 */
export function ImportDialog({ app, form, open, onClose }: ImportDialogProps) {
  const { locale, t } = useLocale()
  const queryClient = useQueryClient()
  const [file, setFile] = useState<File>()
  const [spec, setSpec] = useState<ImportSpec>()
  const [answer, setAnswer] = useState<ImportAnswer>()
  const [busy, setBusy] = useState<'preview' | 'import'>()
  const [share, setShare] = useState(0)
  const [rows, setRows] = useState(0)
  const [failure, setFailure] = useState<string>()
  const input = useRef<HTMLInputElement>(null)

  const setup = useQuery({
    queryKey: [locale, 'import-setup', app, form],
    queryFn: () => apiRequest<ImportSetup>({ path: apiPath('apps', app, 'forms', form, 'import', 'setup'), locale }),
    enabled: open,
  })

  const preview = async (chosen: File, wanted?: ImportSpec) => {
    setBusy('preview')
    setFailure(undefined)
    try {
      const result = await uploadImport({ app, form, file: chosen, locale, spec: wanted, dryRun: true, limit: PREVIEW_ROWS })
      setAnswer(result)
      setSpec(result.spec)
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error))
    } finally {
      setBusy(undefined)
    }
  }

  const run = async () => {
    if (!file || !spec) return
    const job = newJobId()
    setBusy('import')
    setShare(0)
    setRows(0)
    const timer = window.setInterval(async () => {
      const progress = await importProgress(app, job).catch(() => undefined)
      if (progress) setRows(progress.rows)
    }, 500)
    try {
      const result = await uploadImport({ app, form, file, locale, spec, job, onUpload: setShare })
      setAnswer(result)
      if (result.status === 'succeeded') await invalidateFormData(queryClient, app, form)
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error))
    } finally {
      window.clearInterval(timer)
      setBusy(undefined)
    }
  }

  const fields = setup.data?.fields ?? []
  const done = answer !== undefined && !answer.dryRun
  const columnField = (column: string) => spec?.columns[column]
  const setColumn = (column: string, field: string | undefined) => {
    const columns = { ...(spec?.columns ?? {}) }
    for (const [other, mapped] of Object.entries(columns)) if (mapped === field) delete columns[other]
    if (field) columns[column] = field
    else delete columns[column]
    const next = { columns, key: (spec?.key ?? []).filter((key) => Object.values(columns).includes(key)) }
    setSpec(next)
    if (file) void preview(file, next)
  }
  // A unique field, or a unique set of fields, every one of them read from a column of the file.
  const mapped = new Set(Object.values(spec?.columns ?? {}))
  const labelOf = (key: string) => fields.find((field) => field.key === key)?.label ?? key
  const keyOptions = (setup.data?.keys ?? []).filter((set) => set.every((key) => mapped.has(key)))
    .map((set) => ({ value: set.join(','), label: set.map(labelOf).join(' + ') }))

  return (
    <Modal
      open={open}
      title={t('import.title')}
      width={880}
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>{t('form.cancel')}</Button>,
        <Button
          key="run"
          type="primary"
          disabled={!file || !answer || answer.status !== 'succeeded' || done}
          loading={busy === 'import'}
          onClick={run}
          data-import="run"
        >
          {t('import.run')}
        </Button>,
      ]}
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space>
          <input
            ref={input}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data-import="file"
            onChange={(event) => {
              const chosen = event.target.files?.[0]
              setAnswer(undefined)
              setFile(chosen)
              if (chosen) void preview(chosen)
            }}
          />
          {busy === 'preview' && <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>}
        </Space>
        {failure && <Alert type="error" showIcon title={failure} />}

        {answer && !done && (
          <Table
            size="small"
            pagination={false}
            rowKey="column"
            dataSource={answer.header.map((column) => ({ column }))}
            columns={[
              { key: 'column', title: t('import.fileColumn'), dataIndex: 'column' },
              {
                key: 'field',
                title: t('import.field'),
                render: (_: unknown, row: { column: string }) => (
                  <Select
                    allowClear
                    style={{ minWidth: 200 }}
                    placeholder={t('import.skip')}
                    value={columnField(row.column)}
                    onChange={(field: string | undefined) => setColumn(row.column, field)}
                    options={fields.map((field) => ({ value: field.key, label: field.required ? `${field.label} *` : field.label }))}
                    data-import="column"
                  />
                ),
              },
            ]}
          />
        )}

        {answer && !done && (
          <Space>
            <Typography.Text>{t('import.key')}</Typography.Text>
            <Select
              allowClear
              style={{ minWidth: 240 }}
              placeholder={t('import.noKey')}
              value={spec?.key?.length
                ? keyOptions.find((option) => sameSet(option.value.split(','), spec.key ?? []))?.value ?? spec.key.join(',')
                : undefined}
              options={keyOptions}
              onChange={(key: string | undefined) => {
                // Matching changes what the file does (rows of stored records update them rather
                // than clash with them): checked again, as a column change is.
                const next = { columns: spec?.columns ?? {}, key: key ? key.split(',') : [] }
                setSpec(next)
                if (file) void preview(file, next)
              }}
              data-import="key"
            />
          </Space>
        )}

        {busy === 'import' && (
          <div data-import="progress">
            <Progress percent={Math.round(share * 100)} status="active" />
            <Typography.Text type="secondary">{t('import.rowsRead', { rows })}</Typography.Text>
          </div>
        )}

        {answer && <ImportOutcome app={app} answer={answer} fields={fields} />}
      </Space>
    </Modal>
  )
}

function ImportOutcome({ app, answer, fields }: { app: string; answer: ImportAnswer; fields: ImportSetup['fields'] }) {
  const { t, locale } = useLocale()
  if (answer.status === 'rejected') {
    return (
      <Alert
        type="error"
        showIcon
        data-import="problems"
        title={t('import.rejected', { count: answer.errorCount })}
        description={
          <div>
            <Table
              size="small"
              pagination={{ pageSize: 10 }}
              rowKey={(problem) => `${problem.line}:${problem.column}:${problem.message}`}
              dataSource={answer.errors}
              columns={[
                { key: 'line', title: t('import.line'), dataIndex: 'line', width: 70 },
                { key: 'column', title: t('import.fileColumn'), dataIndex: 'column', width: 140 },
                // What the cell held: "2026/11/31" beside "应为日期" says which day is wrong.
                { key: 'value', title: t('import.value'), width: 140,
                  render: (_: unknown, problem: ImportProblem) => (problem.value === undefined || problem.value === null ? '' : String(problem.value)) },
                { key: 'message', title: t('import.problem'), dataIndex: 'message' },
              ]}
            />
            {answer.runId > 0 && (
              <a href={errorReportUrl(app, answer.runId)} download data-import="report">
                {t('import.downloadProblems')}
              </a>
            )}
          </div>
        }
      />
    )
  }
  if (!answer.dryRun) {
    const counts = Object.values(answer.forms)[0] ?? { created: 0, updated: 0, unchanged: 0 }
    return <Alert type="success" showIcon data-import="done" title={t('import.done', { ...counts })} />
  }
  const shown = fields.filter((field) => Object.values(answer.spec.columns).includes(field.key))
  return (
    <Table
      data-import="preview"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowKey="line"
      dataSource={answer.preview.map((row) => ({ line: row.line, ...row.values, __titles: row.titles ?? {} }))}
      columns={[
        { key: 'line', title: t('import.line'), dataIndex: 'line', width: 70 },
        ...shown.map((field) => ({
          key: field.key,
          title: field.label,
          align: isNumericType(field.type) ? ('right' as const) : undefined,
          // A line item's field ("items.product") shows the values of every line of the record; a link
          // its record as the file named it; an amount as amounts are shown.
          render: (_: unknown, row: Record<string, unknown>) =>
            (row.__titles as Record<string, string>)[field.key] ?? previewCell(row, field, locale),
        })),
      ]}
    />
  )
}

function previewCell(row: Record<string, unknown>, field: ImportSetup['fields'][number], locale: Locale): string {
  const [key, sub] = field.key.split('.')
  const value = row[key]
  if (value === null || value === undefined) return ''
  // A choice as people read it (银行转账), not its stored code (transfer).
  const label = (item: unknown) => (field.choices && typeof item === 'string' ? field.choices[item] ?? item : String(item ?? ''))
  if (sub !== undefined && Array.isArray(value)) {
    return value.map((line) => label((line as Record<string, unknown>)?.[sub])).join('、')
  }
  if (field.type === 'money' || field.type === 'number') {
    return formatFieldValue({ key, label: field.label, type: field.type } as FieldDefinition, value, locale, null)
  }
  return Array.isArray(value) ? value.map(label).join(', ') : label(value)
}

/** Whether two lists of field keys hold the same keys, in any order. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key) => b.includes(key))
}
