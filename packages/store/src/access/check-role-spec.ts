import {
  FIELD_RULES,
  FORM_ACTIONS,
  KEY_PATTERN,
  ROW_RULE_KINDS,
  TesseraError,
  type FieldIssue,
  type Locale,
  type PublishedForm,
  type RoleSpec,
} from '@tessera/core'
import { compileFilter } from '../filter-sql.js'

/** What a role document is checked against: the app's published metadata. */
export interface RoleSpecContext {
  forms: ReadonlyMap<string, PublishedForm>
  reports: ReadonlySet<string>
  dashboards: ReadonlySet<string>
  locale?: Locale
}

const ROLE_PROPERTIES = ['key', 'label', 'description', 'admin', 'forms', 'reports', 'dashboards']
const GRANT_PROPERTIES = ['actions', 'rows', 'fields']
const RULE_PROPERTIES: Record<string, string[]> = {
  all: ['kind'],
  own: ['kind', 'field'],
  department: ['kind', 'field'],
  via: ['kind', 'link'],
  custom: ['kind', 'rule'],
}
/** Field types that may hold a user's id (an `own` owner field). */
const OWNER_TYPES = new Set(['text', 'user', 'member'])
/** Field types that may hold a department id. */
const DEPARTMENT_TYPES = new Set(['number', 'department'])
const MAX_RULE_TEXT = 10_000

/**
 * Checks a role document against the app's forms, reports and dashboards
 * and returns it typed, or throws `metadata.invalid` listing every problem
 * with its path in the document (`forms.customer.rows.field`).
 *
 * @example
 * checkRoleSpec({ key: 'clerk', label: '出纳', forms: { invoice: { actions: ['read'] } } },
 *   { forms, reports: new Set(), dashboards: new Set() })
 */
export function checkRoleSpec(spec: unknown, context: RoleSpecContext): RoleSpec {
  const issues: FieldIssue[] = []
  const worded: Array<{ zh: string; en: string }> = []
  const say = (field: string, rule: string, zh: string, en: string, received?: unknown) => {
    issues.push({ field, rule, message: context.locale === 'en' ? en : zh, received })
    worded.push({ zh, en })
  }
  if (!isRecord(spec)) {
    throw new TesseraError('metadata.invalid', `a role must be a JSON object, got ${JSON.stringify(spec)?.slice(0, 60)}`)
  }

  extraProperties(spec, ROLE_PROPERTIES, '', say)
  if (typeof spec.key !== 'string' || !KEY_PATTERN.test(spec.key)) {
    say('key', 'pattern',
      `角色标识须以小写字母开头，只含小写字母、数字和下划线，最多 40 个字符（${KEY_PATTERN}）`,
      `the role key must start with a lowercase letter and hold only lowercase letters, digits and underscores, at most 40 (${KEY_PATTERN})`,
      spec.key)
  }
  if (typeof spec.label === 'string' && spec.label.trim() === '') {
    say('label', 'required', '请填写角色名称', 'the role needs a name', spec.label)
  } else if (!isLocalizedText(spec.label)) {
    say('label', 'type', '名称须为文本或 {"zh-CN": 文本, "en": 文本}', 'the label must be text or {"zh-CN": text, "en": text}', spec.label)
  }
  if (spec.description !== undefined && !isLocalizedText(spec.description)) {
    say('description', 'type', '说明须为文本', 'the description must be text', spec.description)
  }
  if (spec.admin !== undefined && typeof spec.admin !== 'boolean') {
    say('admin', 'type', 'admin 须为 true 或 false', 'admin must be true or false', spec.admin)
  }
  checkKeyList(spec.reports, 'reports', context.reports, '报表', 'report', say)
  checkKeyList(spec.dashboards, 'dashboards', context.dashboards, '看板', 'dashboard', say)

  if (spec.forms !== undefined && !isRecord(spec.forms)) {
    say('forms', 'type', 'forms 须为以表单键为键的对象', 'forms must be an object keyed by form key', spec.forms)
  } else {
    for (const [formKey, grant] of Object.entries(spec.forms ?? {})) {
      checkGrant(formKey, grant, spec.forms as Record<string, unknown>, context, say)
    }
  }

  if (issues.length === 0) return spec as unknown as RoleSpec
  const first = issues[0]
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : ''
  const en = `role ${JSON.stringify(spec.key)} is invalid at ${first.field}: ${worded[0].en}${more}`
  const zh = `角色 ${JSON.stringify(spec.key)} 有误（${first.field}）：${worded[0].zh}${issues.length > 1 ? `（另有 ${issues.length - 1} 处）` : ''}`
  throw new TesseraError('metadata.invalid', en, {
    details: { role: spec.key },
    issues,
    messages: { 'zh-CN': zh, en },
  })
}

type Say = (field: string, rule: string, zh: string, en: string, received?: unknown) => void

function checkGrant(
  formKey: string,
  grant: unknown,
  grants: Record<string, unknown>,
  context: RoleSpecContext,
  say: Say,
) {
  const at = `forms.${formKey}`
  const form = context.forms.get(formKey)
  if (!form) {
    say(at, 'unknown_form', `表单 ${formKey} 不存在或未发布`, `form "${formKey}" does not exist or is not published`, formKey)
    return
  }
  if (!isRecord(grant)) {
    say(at, 'type', '须为 { actions, rows?, fields? } 对象', 'must be an object { actions, rows?, fields? }', grant)
    return
  }
  extraProperties(grant, GRANT_PROPERTIES, at, say)

  const actions = grant.actions
  const known = Array.isArray(actions) && actions.every((a) => FORM_ACTIONS.includes(a))
  if (!known || new Set(actions).size !== actions.length) {
    say(`${at}.actions`, 'enum', `actions 须为不重复的 ${FORM_ACTIONS.join('、')}`, `actions must list distinct values of ${FORM_ACTIONS.join(', ')}`, actions)
  }
  if (grant.rows !== undefined) checkRowRule(form, grant.rows, grants, context, `${at}.rows`, say)

  if (grant.fields === undefined) return
  if (!isRecord(grant.fields)) {
    say(`${at}.fields`, 'type', 'fields 须为以字段键为键的对象', 'fields must be an object keyed by field key', grant.fields)
    return
  }
  for (const [fieldKey, rule] of Object.entries(grant.fields)) {
    if (!form.definition.fields.some((f) => f.key === fieldKey)) {
      say(`${at}.fields.${fieldKey}`, 'unknown_field', `表单 ${formKey} 没有字段 ${fieldKey}`, `form "${formKey}" has no field "${fieldKey}"`)
    }
    if (!FIELD_RULES.includes(rule as never)) {
      say(`${at}.fields.${fieldKey}`, 'enum', '须为 hidden 或 readonly', 'must be "hidden" or "readonly"', rule)
    }
  }
}

function checkRowRule(
  form: PublishedForm,
  rule: unknown,
  grants: Record<string, unknown>,
  context: RoleSpecContext,
  at: string,
  say: Say,
) {
  const kind = isRecord(rule) ? rule.kind : undefined
  if (!isRecord(rule) || !ROW_RULE_KINDS.includes(kind as never)) {
    say(`${at}.kind`, 'enum', `行范围须为 ${ROW_RULE_KINDS.join('、')} 之一`, `a row rule's kind must be one of ${ROW_RULE_KINDS.join(', ')}`, kind)
    return
  }
  extraProperties(rule, RULE_PROPERTIES[kind as string], at, say)
  const field = (key: unknown) => form.definition.fields.find((f) => f.key === key)

  if ((kind === 'own' || kind === 'department') && rule.field !== undefined) {
    const types = kind === 'own' ? OWNER_TYPES : DEPARTMENT_TYPES
    const found = field(rule.field)
    const integer = found?.type !== 'number' || found.integer === true
    if (!found || !types.has(found.type) || !integer) {
      const wanted = kind === 'own' ? 'a member field, or a text field holding user ids'
        : 'a department field, or an integer field holding department ids'
      const zh = kind === 'own' ? '成员字段，或保存用户 ID 的文本字段' : '部门字段，或保存部门 ID 的整数字段'
      say(`${at}.field`, 'field', `须为表单 ${form.key} 中${zh}`, `must be ${wanted} of form "${form.key}"`, rule.field)
    }
  }
  if (kind === 'via') {
    const link = field(rule.link)
    if (!link || link.type !== 'link') {
      say(`${at}.link`, 'link', `须为表单 ${form.key} 的链接字段`, `must be a link field of form "${form.key}"`, rule.link)
    } else {
      checkViaChain(form.key, grants, context, at, say)
    }
  }
  if (kind === 'custom') {
    if (JSON.stringify(rule.rule ?? null).length > MAX_RULE_TEXT) {
      say(`${at}.rule`, 'size', `规则长度不能超过 ${MAX_RULE_TEXT} 个字符`, `the rule may be at most ${MAX_RULE_TEXT} characters long`)
      return
    }
    try {
      compileFilter(form, rule.rule, 's', { me: { id: '', name: '', department: 0 } })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      say(`${at}.rule`, 'rule', `规则无效：${message}`, `the rule is invalid: ${message}`)
    }
  }
}

/** Follows `via` rules through this role's grants; a form reached twice is a cycle. */
function checkViaChain(
  start: string,
  grants: Record<string, unknown>,
  context: RoleSpecContext,
  at: string,
  say: Say,
) {
  const seen = [start]
  let formKey = start
  for (;;) {
    const grant = Object.hasOwn(grants, formKey) ? grants[formKey] : undefined
    const rows = isRecord(grant) && isRecord(grant.rows) ? grant.rows : undefined
    if (rows?.kind !== 'via') return
    const link = context.forms.get(formKey)?.definition.fields.find((f) => f.key === rows.link)
    if (!link || link.type !== 'link') return
    const target = Object.hasOwn(grants, link.form) ? grants[link.form] : undefined
    const reads = isRecord(target) && Array.isArray(target.actions) && target.actions.includes('read')
    if (!reads) {
      say(`${at}.link`, 'via', `经由 ${formKey}.${link.key} 的行范围要求本角色可读取表单 ${link.form}`, `rows via "${formKey}.${link.key}" need this role to read form "${link.form}"`, rows.link)
      return
    }
    if (seen.includes(link.form)) {
      say(`${at}.link`, 'cycle', `经由链接的行范围形成循环：${[...seen, link.form].join(' → ')}`, `"via" row rules form a cycle: ${[...seen, link.form].join(' → ')}`)
      return
    }
    seen.push(link.form)
    formKey = link.form
  }
}

function checkKeyList(
  value: unknown,
  at: string,
  known: ReadonlySet<string>,
  zh: string,
  en: string,
  say: Say,
) {
  if (value === undefined) return
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    say(at, 'type', `${at} 须为${zh}键的列表`, `${at} must be a list of ${en} keys`, value)
    return
  }
  value.forEach((key, index) => {
    if (key !== '*' && !known.has(key)) {
      say(`${at}[${index}]`, `unknown_${en}`, `${zh} ${key} 不存在`, `${en} "${key}" does not exist`, key)
    }
  })
}

function extraProperties(value: Record<string, unknown>, allowed: string[], at: string, say: Say) {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue
    const path = at ? `${at}.${key}` : key
    say(path, 'unknown_property', `不支持属性 ${key}，可用：${allowed.join('、')}`, `unknown property "${key}"; allowed: ${allowed.join(', ')}`)
  }
}

function isLocalizedText(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== ''
  return isRecord(value) && typeof value['zh-CN'] === 'string' && value['zh-CN'].trim() !== '' &&
    (value.en === undefined || typeof value.en === 'string')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
