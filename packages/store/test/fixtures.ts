import type { FormDefinition } from '@tessera/core'

/** A small generic app used by the store's tests: teams and their tasks. */
export const team: FormDefinition = {
  key: 'team',
  label: { 'zh-CN': '团队', en: 'Team' },
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' }, required: true, unique: true },
    { key: 'region', type: 'text', label: { 'zh-CN': '地区', en: 'Region' } },
  ],
}

export const task: FormDefinition = {
  key: 'task',
  label: { 'zh-CN': '任务', en: 'Task' },
  titleField: 'code',
  fields: [
    { key: 'code', type: 'text', label: { 'zh-CN': '编号', en: 'Code' }, required: true, unique: true },
    { key: 'team', type: 'link', form: 'team', label: { 'zh-CN': '团队', en: 'Team' }, required: true },
    { key: 'budget', type: 'money', label: { 'zh-CN': '预算', en: 'Budget' }, min: '0' },
    { key: 'hours', type: 'number', label: { 'zh-CN': '工时', en: 'Hours' }, scale: 1 },
    { key: 'due', type: 'date', label: { 'zh-CN': '截止日', en: 'Due' } },
    {
      key: 'state',
      type: 'select',
      label: { 'zh-CN': '状态', en: 'State' },
      options: [
        { value: 'open', label: { 'zh-CN': '进行中', en: 'Open' } },
        { value: 'done', label: { 'zh-CN': '已完成', en: 'Done' } },
      ],
    },
  ],
}
