import type { SelectOption } from '@tessera/core'
import { Button, Input, Select, Space, Tag } from 'antd'
import { useLocale } from '../locale-context.js'
import { enText, labelOf, zhText } from './design-issues.js'
import { freeKey } from './field-palette.js'

const COLORS = ['red', 'volcano', 'orange', 'gold', 'green', 'cyan', 'blue', 'geekblue', 'purple', 'magenta']

interface OptionsEditorProps {
  options: SelectOption[]
  onChange(options: SelectOption[]): void
}

/** The options of a choice: value, Chinese and English label, colour; reorder with ↑ ↓. */
export function OptionsEditor({ options, onChange }: OptionsEditorProps) {
  const { t } = useLocale()
  const set = (index: number, changes: Partial<SelectOption>) =>
    onChange(options.map((option, at) => {
      if (at !== index) return option
      const next = { ...option, ...changes }
      if (next.color === undefined) delete next.color
      return next
    }))
  const move = (index: number, step: number) => {
    const next = [...options]
    const [option] = next.splice(index, 1)
    next.splice(index + step, 0, option)
    onChange(next)
  }

  return (
    <div className="fb-options" data-options-editor="">
      {options.map((option, index) => (
        <div key={index} className="fb-option-row" data-option={index}>
          <Input size="small" value={option.value} aria-label={`${t('fb.optionValue')} ${index + 1}`}
            className="fb-option-value" onChange={(e) => set(index, { value: e.target.value })} />
          <Input size="small" value={zhText(option.label)} aria-label={`${t('fb.labelZh')} ${index + 1}`}
            onChange={(e) => set(index, { label: labelOf(e.target.value, enText(option.label)) })} />
          <Input size="small" value={enText(option.label)} aria-label={`${t('fb.labelEn')} ${index + 1}`}
            placeholder="English" onChange={(e) => set(index, { label: labelOf(zhText(option.label), e.target.value) })} />
          <Select size="small" allowClear value={option.color} aria-label={`${t('fb.optionColor')} ${index + 1}`}
            className="fb-option-color" popupMatchSelectWidth={false}
            options={COLORS.map((color) => ({ value: color, label: <Tag color={color}>{color}</Tag> }))}
            onChange={(color?: string) => set(index, { color })} />
          <Space size={0}>
            <Button size="small" type="text" disabled={index === 0} aria-label="↑" onClick={() => move(index, -1)}>↑</Button>
            <Button size="small" type="text" disabled={index === options.length - 1} aria-label="↓"
              onClick={() => move(index, 1)}>↓</Button>
            <Button size="small" type="text" danger aria-label={t('fb.removeShort')} disabled={options.length <= 1}
              onClick={() => onChange(options.filter((_, at) => at !== index))}>×</Button>
          </Space>
        </div>
      ))}
      <Button size="small" data-action="add-option" onClick={() => {
        const value = freeKey('option', new Set(options.map((o) => o.value)))
        onChange([...options, { value, label: `选项${options.length + 1}` }])
      }}>
        + {t('fb.addOption')}
      </Button>
    </div>
  )
}
