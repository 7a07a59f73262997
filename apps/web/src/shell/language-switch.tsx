import type { Locale } from '@tessera/core'
import { Segmented } from 'antd'
import { useLocale } from '../locale-context.js'

const CHOICES: Array<{ label: string; value: Locale }> = [
  { label: '中文', value: 'zh-CN' },
  { label: 'English', value: 'en' },
]

/** 中文 / English; the choice is remembered in localStorage. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale()
  return (
    <Segmented<Locale>
      size="small"
      aria-label={t('language.label')}
      data-action="language"
      options={CHOICES}
      value={locale}
      onChange={setLocale}
    />
  )
}
