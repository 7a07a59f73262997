import type { Locale } from '@tessera/core'
import { CHINA_PROVINCES, findProvince, REGION_SEPARATOR, regionParts } from '@tessera/forms'
import { Input, Select, Space } from 'antd'
import { useLocale } from '../locale-context.js'

interface RegionInputProps {
  id?: string
  /** "省/市/区" text, as the API stores it. */
  value?: string | null
  onChange?(value: string | null): void
  /** How many parts the field takes: province, city, district. */
  depth: 1 | 2 | 3
  status?: 'error'
  disabled?: boolean
}

const PLACEHOLDERS: Record<Locale, string[]> = {
  'zh-CN': ['省份', '城市', '区县'],
  en: ['Province', 'City', 'District'],
}

/**
 * A province picked from the bundled list, then city and district typed,
 * joined into the one "省/市/区" text the field stores. Empty trailing
 * parts are dropped, so picking only a province stores "广东省".
 */
export function RegionInput({ id, value, onChange, depth, status, disabled }: RegionInputProps) {
  const { locale } = useLocale()
  const parts = value ? regionParts(value) : []
  const placeholders = PLACEHOLDERS[locale]

  const change = (index: number, part: string | null) => {
    const next = [...parts]
    next[index] = part ?? ''
    while (next.length > 0 && next[next.length - 1] === '') next.pop()
    const joined = next.join(REGION_SEPARATOR)
    onChange?.(joined === '' ? null : joined)
  }

  const provinces = CHINA_PROVINCES.map((province) => ({
    value: province.name,
    label: locale === 'en' ? province.en : province.name,
  }))
  const province = parts[0] ? (findProvince(parts[0])?.name ?? parts[0]) : undefined

  return (
    <Space.Compact block className="region-input">
      <Select
        id={id}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        status={status}
        disabled={disabled}
        placeholder={placeholders[0]}
        options={provinces}
        value={province}
        onChange={(next: string | undefined) => change(0, next ?? null)}
        style={{ minWidth: 140 }}
      />
      {[1, 2].filter((index) => index < depth).map((index) => (
        <Input
          key={index}
          status={status}
          disabled={disabled}
          placeholder={placeholders[index]}
          value={parts[index] ?? ''}
          onChange={(event) => change(index, event.target.value.replaceAll(REGION_SEPARATOR, ''))}
        />
      ))}
    </Space.Compact>
  )
}
