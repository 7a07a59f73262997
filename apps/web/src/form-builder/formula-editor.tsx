import { Alert, Button, Input, Space, Typography } from 'antd'
import { useRef, useState } from 'react'
import type { MessageKey } from '../i18n.js'
import { useLocale } from '../locale-context.js'
import { parseFormula, type FormulaError } from './formula-parser.js'
import { formatFormula } from './formula-printer.js'
import type { LogicVar } from './value-kinds.js'

interface FormulaEditorProps {
  /** The formula's json-logic as stored. */
  value: unknown
  /** What the formula may read, with a label for each button. */
  vars: readonly (LogicVar & { label: string })[]
  onChange(logic: unknown): void
}

/**
 * A formula typed as an expression (`price * quantity`), checked as it is
 * typed: a valid one is stored as json-logic at once, a broken one says
 * what is wrong and where and changes nothing. Field buttons insert keys
 * at the cursor, so nobody needs to remember them.
 */
export function FormulaEditor({ value, vars, onChange }: FormulaEditorProps) {
  const { t } = useLocale()
  const printed = formatFormula(value)
  const [text, setText] = useState(printed ?? '')
  const [error, setError] = useState<FormulaError | undefined>()
  const box = useRef<HTMLTextAreaElement | null>(null)

  const apply = (next: string) => {
    setText(next)
    const result = parseFormula(next, vars)
    if (result.ok) {
      setError(undefined)
      onChange(result.logic)
    } else setError(result.error)
  }

  const insert = (key: string) => {
    const element = box.current
    const start = element?.selectionStart ?? text.length
    const end = element?.selectionEnd ?? text.length
    const before = text.slice(0, start)
    const spacer = before && !/[\s(]$/.test(before) ? ' ' : ''
    const next = `${before}${spacer}${key}${text.slice(end)}`
    apply(next)
    requestAnimationFrame(() => {
      const at = start + spacer.length + key.length
      element?.focus()
      element?.setSelectionRange(at, at)
    })
  }

  return (
    <div className="fb-formula" data-formula-editor="">
      <Input.TextArea
        ref={(node) => { box.current = node?.resizableTextArea?.textArea ?? null }}
        value={text}
        autoSize={{ minRows: 2, maxRows: 5 }}
        aria-label={t('fb.formula')}
        aria-invalid={error !== undefined}
        status={error ? 'error' : undefined}
        data-formula-input=""
        className="fb-formula-input"
        onChange={(event) => apply(event.target.value)}
      />
      {error ? (
        <Typography.Text type="danger" data-formula-error={error.code} role="alert">
          {t(`fb.formula.${error.code}` as MessageKey, { at: error.position + 1, name: error.name ?? '' })}
        </Typography.Text>
      ) : text.trim() !== '' ? (
        <Typography.Text type="success" data-formula-ok="">{t('fb.formulaOk')}</Typography.Text>
      ) : null}
      {printed === undefined && value !== undefined && text === '' && (
        <Alert type="info" showIcon title={t('fb.formulaKept')} />
      )}
      <div className="fb-muted">{t('fb.formulaHint')}</div>
      <Space size={4} wrap aria-label={t('fb.insertField')}>
        {vars.filter((v) => v.kind !== 'lines').map((v) => (
          <Button key={v.key} size="small" data-insert-field={v.key} onClick={() => insert(v.key)}>
            {v.label}
          </Button>
        ))}
        {vars.filter((v) => v.kind === 'lines').flatMap((v) => (v.lines ?? []).filter((l) => l.kind === 'number').map((line) => (
          <Button key={`${v.key}.${line.key}`} size="small" data-insert-field={`${v.key}.${line.key}`}
            onClick={() => insert(`sum(${v.key}.${line.key})`)}>
            Σ {v.label}.{line.key}
          </Button>
        )))}
      </Space>
    </div>
  )
}
