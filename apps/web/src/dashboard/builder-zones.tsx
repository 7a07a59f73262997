import { Button, Card, Select, Tag } from 'antd'
import { useState, type DragEvent, type ReactNode } from 'react'
import { translate } from '../i18n.js'
import { useLocale } from '../locale-context.js'
import {
  type BuilderAggregate,
  type BuilderField,
  type BuilderGrain,
  type BuilderState,
  aggregatesFor,
  measureFor,
} from './builder-spec.js'

const GRAINS: BuilderGrain[] = ['day', 'week', 'month', 'quarter', 'year']

interface ZonesProps {
  state: BuilderState
  fields: readonly BuilderField[]
  onChange(changes: Partial<BuilderState>): void
}

/** Where fields are dropped: dimensions (dates get a grain) and measures (with their aggregate). */
export function BuilderZones({ state, fields, onChange }: ZonesProps) {
  const { t } = useLocale()
  const byPath = (path: string) => fields.find((field) => field.path === path)

  return (
    <Card size="small">
      <Zone name="dimensions" label={t('builder.dimensions')} empty={t('builder.dropHere')}
        onDropField={(path) => {
          const field = byPath(path)
          if (field) onChange({ dimensions: [...state.dimensions, { field, ...(field.kind === 'date' ? { grain: 'month' as const } : {}) }] })
        }}>
        {state.dimensions.map((dimension, index) => (
          <Tag key={`${dimension.field.path}-${index}`} closable data-dimension={dimension.field.path}
            onClose={() => onChange({ dimensions: state.dimensions.filter((_, at) => at !== index) })}>
            {dimension.field.label}
            {dimension.grain && (
              <Select size="small" value={dimension.grain} variant="borderless"
                options={GRAINS.map((grain) => ({ value: grain, label: t(`builder.grain.${grain}`) }))}
                onChange={(grain: BuilderGrain) => onChange({
                  dimensions: state.dimensions.map((one, at) => (at === index ? { ...one, grain } : one)),
                })} />
            )}
          </Tag>
        ))}
      </Zone>
      <Zone name="measures" label={t('builder.measures')} empty={t('builder.dropHere')}
        onDropField={(path) => {
          const field = byPath(path)
          if (field) onChange({ measures: [...state.measures, measureFor(field)] })
        }}>
        {state.measures.map((measure, index) => (
          <Tag key={`${measure.field?.path ?? 'count'}-${index}`} closable data-measure={measure.field?.path ?? 'count'}
            onClose={() => onChange({ measures: state.measures.filter((_, at) => at !== index) })}>
            {measure.label}
            {measure.field && (
              <Select size="small" value={measure.agg} variant="borderless" popupMatchSelectWidth={false}
                style={{ minWidth: 84 }}
                options={aggregatesFor(measure.field).map((agg) => ({ value: agg, label: t(`builder.agg.${agg}`) }))}
                onChange={(agg: BuilderAggregate) => onChange({
                  measures: state.measures.map((one, at) => (at === index ? { ...one, agg } : one)),
                })} />
            )}
          </Tag>
        ))}
        <Button size="small" type="dashed" data-action="add-count"
          onClick={() => onChange({ measures: [...state.measures, { agg: 'count', label: t('builder.count'),
            names: { 'zh-CN': translate('zh-CN', 'builder.count'), en: translate('en', 'builder.count') } }] })}>
          + {t('builder.count')}
        </Button>
      </Zone>
    </Card>
  )
}

function Zone({ name, label, empty, onDropField, children }: {
  name: string
  label: string
  empty: string
  onDropField(path: string): void
  children: ReactNode
}) {
  const [over, setOver] = useState(false)
  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    setOver(false)
    const path = event.dataTransfer.getData('text/plain')
    if (path) onDropField(path)
  }
  return (
    <div style={{ marginBottom: 8 }}>
      <div className="param-label">{label}</div>
      <div className={over ? 'builder-zone over' : 'builder-zone'} data-zone={name} title={empty}
        onDragOver={(event) => { event.preventDefault(); setOver(true) }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}>
        {children}
      </div>
    </div>
  )
}
