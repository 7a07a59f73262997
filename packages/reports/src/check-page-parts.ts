import type { FormCache } from './compile-context.js'
import { fieldType } from './compile-var.js'
import { type IssueList, at, show } from './issue-list.js'
import type { PlannedDimension } from './plan-dimensions.js'
import { extraKeys, isKey, isName, isRecord } from './shape.js'
import type { ReportParamSpec } from './spec.js'

/*
 * The parts of a spec that serve its own page rather than its figures: a
 * text param's suggestions and the report a row opens (`drillTo`).
 */

/** A text param's suggestions read a field of a published form (a stored field, with a column). */
export async function checkSuggestions(params: ReportParamSpec[], forms: FormCache, issues: IssueList): Promise<void> {
  for (const [index, param] of params.entries()) {
    if (!param.suggest) continue
    const form = await forms.find(param.suggest.form)
    const field = form?.definition.fields.find((one) => one.key === param.suggest?.field)
    // Suggestions are searched by the text typed: a text field, shown as stored (not a choice's code).
    const searchable = field !== undefined && fieldType(field)?.kind === 'text' && field.type !== 'select'
    if (!form || !field?.column || !searchable) {
      issues.add(at(at(at('params', index), 'suggest'), form ? 'field' : 'form'), form ? 'unknown_field' : 'unknown_form', {
        zh: form ? `表单 ${form.key} 没有可供提示的存储文本字段 ${show(param.suggest.field)}` : `表单 ${show(param.suggest.form)} 未发布`,
        en: form ? `form "${form.key}" has no stored text field ${show(param.suggest.field)} to suggest from` : `form ${show(param.suggest.form)} is not published`,
      }, { received: form ? param.suggest.field : param.suggest.form })
    }
  }
}

/**
 * `drillTo`: a report key and its params, each a dimension of this report,
 * a param of it, or a text. Whether that report exists and takes those
 * params is the platform's to check (it holds the other reports).
 */
export function checkDrillTo(
  raw: unknown,
  dimensions: PlannedDimension[],
  params: ReportParamSpec[],
  issues: IssueList,
): void {
  if (raw === undefined) return
  if (!isRecord(raw) || !isKey(raw.report) || !isRecord(raw.params) || extraKeys(raw, ['report', 'params']).length > 0) {
    issues.add('drillTo', 'type', {
      zh: 'drillTo 须为 { report, params }：report 为报表键，params 为参数对象',
      en: 'drillTo must be { report, params }: a report key and an object of params',
    }, { received: raw })
    return
  }
  for (const [key, value] of Object.entries(raw.params)) {
    const path = at(at('drillTo', 'params'), key)
    if (!isName(key)) {
      issues.add(path, 'key', { zh: `参数键 ${show(key)} 无效`, en: `${show(key)} is no param key` })
    } else if (typeof value === 'string') {
      continue
    } else if (isRecord(value) && Object.keys(value).length === 1 && typeof value.dimension === 'string') {
      if (!dimensions.some((dimension) => dimension.key === value.dimension)) {
        issues.add(path, 'unknown_key', {
          zh: `本报表没有维度 ${show(value.dimension)}`,
          en: `this report has no dimension ${show(value.dimension)}`,
        }, { expected: dimensions.map((dimension) => dimension.key), received: value.dimension })
      }
    } else if (isRecord(value) && Object.keys(value).length === 1 && typeof value.param === 'string') {
      if (!params.some((param) => param.key === value.param)) {
        issues.add(path, 'unknown_key', {
          zh: `本报表没有参数 ${show(value.param)}`,
          en: `this report has no param ${show(value.param)}`,
        }, { expected: params.map((param) => param.key), received: value.param })
      }
    } else {
      issues.add(path, 'type', {
        zh: '参数值须为 { "dimension": 维度键 }、{ "param": 参数键 } 或文本',
        en: 'a param is { "dimension": key }, { "param": key } or a text',
      }, { received: value })
    }
  }
}
