import type {
  FieldDefinition,
  FormDefinition,
  LineFieldDefinition,
  Locale,
} from '@tessera/core'

/** One entry of the builder's palette: a field type, or a preset of one (a text area). */
export interface PaletteEntry {
  id: string
  type: FieldDefinition['type']
  name: Record<Locale, string>
  /** A short symbol shown beside the name. */
  icon: string
}

export const PALETTE: readonly PaletteEntry[] = [
  { id: 'text', type: 'text', icon: 'T', name: { 'zh-CN': '单行文本', en: 'Text' } },
  { id: 'textarea', type: 'text', icon: '¶', name: { 'zh-CN': '多行文本', en: 'Text area' } },
  { id: 'number', type: 'number', icon: '#', name: { 'zh-CN': '数字', en: 'Number' } },
  { id: 'money', type: 'money', icon: '¥', name: { 'zh-CN': '金额', en: 'Money' } },
  { id: 'percent', type: 'percent', icon: '%', name: { 'zh-CN': '百分比', en: 'Percent' } },
  { id: 'date', type: 'date', icon: '日', name: { 'zh-CN': '日期', en: 'Date' } },
  { id: 'datetime', type: 'datetime', icon: '时', name: { 'zh-CN': '日期时间', en: 'Date and time' } },
  { id: 'select', type: 'select', icon: '◉', name: { 'zh-CN': '单选', en: 'Single choice' } },
  { id: 'multiselect', type: 'multiselect', icon: '☑', name: { 'zh-CN': '多选', en: 'Multiple choice' } },
  { id: 'boolean', type: 'boolean', icon: '✓', name: { 'zh-CN': '是/否', en: 'Yes/no' } },
  { id: 'link', type: 'link', icon: '↗', name: { 'zh-CN': '关联记录', en: 'Link' } },
  { id: 'lines', type: 'lines', icon: '☰', name: { 'zh-CN': '明细表', en: 'Line items' } },
  { id: 'formula', type: 'formula', icon: 'ƒ', name: { 'zh-CN': '公式', en: 'Formula' } },
  { id: 'rollup', type: 'rollup', icon: 'Σ', name: { 'zh-CN': '汇总', en: 'Rollup' } },
  { id: 'lookup', type: 'lookup', icon: '⇢', name: { 'zh-CN': '引用字段', en: 'Lookup' } },
  { id: 'autonumber', type: 'autonumber', icon: 'Nº', name: { 'zh-CN': '自动编号', en: 'Autonumber' } },
  { id: 'phone', type: 'phone', icon: '☎', name: { 'zh-CN': '电话', en: 'Phone' } },
  { id: 'email', type: 'email', icon: '@', name: { 'zh-CN': '邮箱', en: 'E-mail' } },
  { id: 'bank_account', type: 'bank_account', icon: '账', name: { 'zh-CN': '银行账号', en: 'Bank account' } },
  { id: 'region', type: 'region', icon: '区', name: { 'zh-CN': '地区', en: 'Region' } },
  { id: 'member', type: 'member', icon: '人', name: { 'zh-CN': '成员', en: 'Member' } },
  { id: 'department', type: 'department', icon: '部', name: { 'zh-CN': '部门', en: 'Department' } },
  { id: 'attachment', type: 'attachment', icon: '附', name: { 'zh-CN': '附件', en: 'Attachment' } },
  { id: 'uscc', type: 'uscc', icon: 'ID', name: { 'zh-CN': '统一社会信用代码', en: 'Credit code (USCC)' } },
]

/** The types a line of a lines field may have. */
export const LINE_TYPES: readonly LineFieldDefinition['type'][] = [
  'text', 'number', 'money', 'percent', 'date', 'boolean', 'select', 'link', 'formula',
]

/** The palette's name of a field's type (a multiline text is a text area). */
export function typeName(field: Pick<FieldDefinition, 'type'> & { multiline?: boolean }, locale: Locale): string {
  const id = field.type === 'text' && field.multiline ? 'textarea' : field.type
  return PALETTE.find((entry) => entry.id === id)?.name[locale] ?? field.type
}

export function paletteEntry(id: string): PaletteEntry | undefined {
  return PALETTE.find((entry) => entry.id === id)
}

/** A key not yet used among `taken`: text_1, text_2… */
export function freeKey(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const key = `${base}_${n}`
    if (!taken.has(key)) return key
  }
}

/** Every key of the form's fields (line fields apart). */
export function fieldKeys(definition: FormDefinition): Set<string> {
  return new Set(definition.fields.map((field) => field.key))
}

/**
 * A new field of a palette entry, with a free key and settings that make
 * it valid where it can be: a choice gets two options, a link the first
 * other form, line items one text column, a rollup the first lines field.
 */
export function newField(
  entryId: string,
  definition: FormDefinition,
  context: { locale: Locale; forms: readonly string[] },
): FieldDefinition {
  const entry = paletteEntry(entryId) ?? PALETTE[0]
  const key = freeKey(entry.type, fieldKeys(definition))
  // Chinese first: the English name is added when someone types one.
  const base = { key, label: entry.name['zh-CN'] }
  const linesField = definition.fields.find((field) => field.type === 'lines')
  const linkField = definition.fields.find((field) => field.type === 'link')

  switch (entry.type) {
    case 'text':
      return entry.id === 'textarea' ? { ...base, type: 'text', multiline: true } : { ...base, type: 'text' }
    case 'select':
    case 'multiselect':
      return { ...base, type: entry.type, options: defaultOptions() }
    case 'link':
      return { ...base, type: 'link', form: context.forms.find((form) => form !== definition.key) ?? '' }
    case 'lines':
      return {
        ...base, type: 'lines',
        fields: [{ key: 'item', type: 'text', label: { 'zh-CN': '项目', en: 'Item' } }],
      }
    case 'formula':
      return { ...base, type: 'formula', result: 'number', expression: 0 }
    case 'rollup':
      return linesField
        ? { ...base, type: 'rollup', lines: linesField.key, agg: 'count' }
        : { ...base, type: 'rollup', form: '', link: '', agg: 'count' }
    case 'lookup':
      return { ...base, type: 'lookup', link: linkField?.key ?? '', field: '' }
    case 'autonumber':
      return { ...base, type: 'autonumber', pattern: 'NO-{YYYY}-{0000}' }
    case 'region':
      return { ...base, type: 'region', depth: 3 }
    default:
      return { ...base, type: entry.type } as FieldDefinition
  }
}

/** A new line field of a type, keyed freely among its siblings. */
export function newLineField(
  type: LineFieldDefinition['type'],
  siblings: readonly LineFieldDefinition[],
  context: { forms: readonly string[]; formKey: string },
): LineFieldDefinition {
  const key = freeKey(type, new Set(siblings.map((field) => field.key)))
  const entry = paletteEntry(type)!
  const base = { key, label: entry.name['zh-CN'] }
  switch (type) {
    case 'select':
      return { ...base, type, options: defaultOptions() }
    case 'link':
      return { ...base, type, form: context.forms.find((form) => form !== context.formKey) ?? '' }
    case 'formula':
      return { ...base, type, result: 'number', expression: 0 }
    default:
      return { ...base, type } as LineFieldDefinition
  }
}

function defaultOptions() {
  return [
    { value: 'a', label: { 'zh-CN': '选项一', en: 'Option 1' } },
    { value: 'b', label: { 'zh-CN': '选项二', en: 'Option 2' } },
  ]
}
