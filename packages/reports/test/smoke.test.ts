import { it } from 'vitest'
import { compileReport } from '../src/index.js'
import { agingSpec, staticForms } from './fixtures.js'
it('prints', async () => {
  const c = await compileReport(agingSpec(), staticForms(), { asOf: '2024-06-30' }, { timeZone: 'Asia/Shanghai', locale: 'zh-CN' })
  console.log(c.sql)
  console.log(JSON.stringify(c.parameters))
})
