import type { FormDefinition } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { renderMarkup } from '../testing/render-markup.js'
import { ConditionEditor } from './condition-editor.js'

const DEFINITION: FormDefinition = {
  key: 'claim', label: '报销',
  fields: [{ key: 'note', type: 'text', label: '说明' }, { key: 'total', type: 'money', label: '合计' }],
}

describe('an empty condition', () => {
  it('says 始终 where no condition means always (shown, applied)', () => {
    expect(renderMarkup(<ConditionEditor name="visibleWhen" value={undefined} definition={DEFINITION}
      fieldKey="note" onChange={() => undefined} />)).toContain('>始终<')
  })

  it('says what no condition means for a requirement, not 始终 on a field that is not required', () => {
    const html = renderMarkup(<ConditionEditor name="requiredWhen" value={undefined} definition={DEFINITION}
      fieldKey="note" onChange={() => undefined} emptyText="无（不按条件必填）" />)
    expect(html).toContain('无（不按条件必填）')
    expect(html).not.toContain('始终')
  })
})
