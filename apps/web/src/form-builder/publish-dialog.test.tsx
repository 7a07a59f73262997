import { describe, expect, it } from 'vitest'
import { renderMarkup } from '../testing/render-markup.js'
import type { PublishChanges } from './form-builder-api.js'
import { ChangeSummary } from './publish-dialog.js'

const RENAMED: PublishChanges = {
  form: 'lead', isNew: false, changed: true, version: 2,
  added: [], renamed: [{ key: 'rush', path: 'rush', from: 'urgent', label: '加急', type: 'boolean', column: 'urgent' }],
  retired: [], retyped: [], linesAdded: [], edited: [], layoutChanged: false,
  reportsBroken: [{
    report: 'urgent_leads', label: { 'zh-CN': '加急线索', en: 'Urgent leads' },
    messages: { 'zh-CN': '报表 "urgent_leads" 有误（dimensions[0].expr.var）：表单 lead 没有字段 urgent', en: 'report "urgent_leads" is invalid' },
    dashboards: [{ key: 'leads', label: { 'zh-CN': '线索看板', en: 'Leads board' } }],
  }],
} as unknown as PublishChanges

describe('the publish summary', () => {
  it('warns of each report the publish stops, naming it, why, and the dashboards showing it', () => {
    const html = renderMarkup(<ChangeSummary changes={RENAMED} />)
    expect(html).toContain('data-reports-broken')
    expect(html).toContain('发布后这些报表将无法运行')
    expect(html).toContain('报表「加急线索」：报表 &quot;urgent_leads&quot; 有误')
    expect(html).toContain('看板 线索看板')
  })

  it('warns of none when no report minds', () => {
    const html = renderMarkup(<ChangeSummary changes={{ ...RENAMED, reportsBroken: undefined }} />)
    expect(html).not.toContain('data-reports-broken')
  })
  it('warns of the roles naming fields the version no longer has', () => {
    const html = renderMarkup(<ChangeSummary changes={{ ...RENAMED, rolesNaming: [
      { role: 'lead_reader', label: { 'zh-CN': '线索查看', en: 'Lead reader' }, fields: ['urgent'] },
    ] }} />)
    expect(html).toContain('data-roles-naming')
    expect(html).toContain('角色「线索查看」：urgent')
    expect(renderMarkup(<ChangeSummary changes={RENAMED} />)).not.toContain('data-roles-naming')
  })
  it('warns of options taken out that stored records still hold, with the codes and how many', () => {
    const html = renderMarkup(<ChangeSummary changes={{ ...RENAMED, reportsBroken: undefined, optionsInUse: [
      { path: 'items.category', key: 'category', label: '费用类别', type: 'select', options: ['transport'], count: 3 },
    ] }} />)
    expect(html).toContain('data-options-in-use')
    expect(html).toContain('「费用类别」：3 条已有记录仍为 transport')
  })
})
