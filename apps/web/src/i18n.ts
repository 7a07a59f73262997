import type { Locale } from '@tessera/core'
import { accessMessagesEn, accessMessagesZh } from './admin/access-messages.js'
import { authMessagesEn, authMessagesZh } from './auth/auth-messages.js'
import { dashboardMessagesEn, dashboardMessagesZh } from './dashboard/dashboard-messages.js'
import { formBuilderMessagesEn, formBuilderMessagesZh } from './form-builder/form-builder-messages.js'
import { recordMessagesEn, recordMessagesZh } from './records/record-messages.js'
import { listMessagesEn, listMessagesZh } from './records/list-messages.js'
import { peopleMessagesEn, peopleMessagesZh } from './records/people-messages.js'

/**
 * The web app's own interface strings. Labels that come from metadata
 * (forms, fields, reports) are LocalizedText and never listed here.
 *
 * A message may hold `{name}` placeholders:
 * translate('en', 'list.total', { total: 3 }) → "3 records".
 */
const zhCN = {
  'app.title': 'Tessera',
  'menu.open': '打开菜单',
  'menu.dashboards': '看板',
  'menu.reports': '报表',
  'menu.forms': '表单',
  'menu.app': '应用',
  'menu.design': '应用设计',
  'language.label': '语言',
  'common.loading': '加载中…',
  'common.loadFailed': '加载失败',
  'common.retry': '重试',
  'common.empty': '暂无数据',
  'common.notFound': '页面不存在',
  'common.backHome': '返回首页',
  'common.noApps': '还没有任何应用',
  'common.noDashboards': '这个应用还没有看板',
  'dashboard.refresh': '刷新',
  'widget.unknownType': '不支持的组件类型「{type}」',
  'widget.missingColumn': '报表「{report}」没有返回列「{column}」',
  'list.new': '新建',
  'list.searchGo': '搜索',
  'list.search': '搜索…',
  'list.total': '共 {total} 条',
  'list.total.one': '共 {total} 条',
  'form.newTitle': '新建{form}',
  'form.editTitle': '编辑{form}',
  'form.otherFields': '其他',
  'form.save': '保存',
  'form.saveAndNew': '保存并新建',
  'form.draftFound': '有一份未保存的草稿（{time}）',
  'form.draftRestore': '恢复草稿',
  'form.draftDiscard': '丢弃',
  'form.cancel': '取消',
  'form.back': '返回',
  'form.delete': '删除',
  'form.deleteConfirm': '确定删除这条记录吗？删除后不能恢复。',
  'form.created': '已创建',
  'form.saved': '已保存',
  'form.deleted': '已删除',
  'form.fixErrors': '请先修正标出的字段',
  'form.issueSeparator': '；',
  'form.conflict': '有人在你之前保存了这条记录。请重新加载后再修改。',
  'form.closedPeriod': '{field} {date} 在已结账期间内（已结账至 {through}），这条记录不能再修改或删除。',
  'form.reload': '重新加载',
  'form.linkSearch': '输入关键字搜索',
  'form.recordIssues': '这条记录有问题',
  ...authMessagesZh,
  ...accessMessagesZh,
  ...recordMessagesZh,
  ...listMessagesZh,
  ...peopleMessagesZh,
  ...dashboardMessagesZh,
  ...formBuilderMessagesZh,
} as const

export type MessageKey = keyof typeof zhCN

export const MESSAGE_KEYS = Object.keys(zhCN) as MessageKey[]

const en: Record<MessageKey, string> = {
  'app.title': 'Tessera',
  'menu.open': 'Open menu',
  'menu.dashboards': 'Dashboards',
  'menu.reports': 'Reports',
  'menu.forms': 'Forms',
  'menu.app': 'App',
  'menu.design': 'Design',
  'language.label': 'Language',
  'common.loading': 'Loading…',
  'common.loadFailed': 'Failed to load',
  'common.retry': 'Retry',
  'common.empty': 'No data',
  'common.notFound': 'Page not found',
  'common.backHome': 'Back to home',
  'common.noApps': 'There are no apps yet',
  'common.noDashboards': 'This app has no dashboards yet',
  'dashboard.refresh': 'Refresh',
  'widget.unknownType': 'Unsupported widget type "{type}"',
  'widget.missingColumn': 'Report "{report}" returned no column "{column}"',
  'list.new': 'New',
  'list.searchGo': 'Search',
  'list.search': 'Search…',
  'list.total': '{total} records',
  'list.total.one': '{total} record',
  'form.newTitle': 'New {form}',
  'form.editTitle': 'Edit {form}',
  'form.otherFields': 'Other',
  'form.save': 'Save',
  'form.saveAndNew': 'Save and add another',
  'form.draftFound': 'There is an unsaved draft ({time})',
  'form.draftRestore': 'Restore draft',
  'form.draftDiscard': 'Discard',
  'form.cancel': 'Cancel',
  'form.back': 'Back',
  'form.delete': 'Delete',
  'form.deleteConfirm': 'Delete this record? This cannot be undone.',
  'form.created': 'Created',
  'form.saved': 'Saved',
  'form.deleted': 'Deleted',
  'form.fixErrors': 'Please fix the marked fields first',
  'form.issueSeparator': '; ',
  'form.conflict': 'Someone else saved this record before you. Reload it, then edit again.',
  'form.closedPeriod': '{field} {date} is in a closed period (closed through {through}): this record can no longer be changed or deleted.',
  'form.reload': 'Reload',
  'form.linkSearch': 'Type to search',
  'form.recordIssues': 'This record has problems',
  ...authMessagesEn,
  ...accessMessagesEn,
  ...recordMessagesEn,
  ...listMessagesEn,
  ...peopleMessagesEn,
  ...dashboardMessagesEn,
  ...formBuilderMessagesEn,
}

const CATALOGUE: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en }

export type MessageParams = Record<string, string | number>

export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = CATALOGUE[locale][key]
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}
