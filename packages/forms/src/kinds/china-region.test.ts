import { describe, expect, it } from 'vitest'
import { CHINA_PROVINCES, findProvince } from './china-provinces.js'
import { checkRegion, normalizeRegion } from './china-region.js'

describe('China regions', () => {
  it('bundles the 34 province-level divisions with unique codes and names', () => {
    expect(CHINA_PROVINCES).toHaveLength(34)
    expect(new Set(CHINA_PROVINCES.map((p) => p.code)).size).toBe(34)
    expect(new Set(CHINA_PROVINCES.map((p) => p.short)).size).toBe(34)
    expect(findProvince('广东')).toMatchObject({ code: '44', name: '广东省', en: 'Guangdong' })
    expect(findProvince('新疆维吾尔自治区')?.code).toBe('65')
  })

  it('accepts "省/市/区" up to the depth, starting with a province', () => {
    expect(checkRegion('广东省/深圳市/南山区')).toBeUndefined()
    expect(checkRegion('北京市/朝阳区')).toBeUndefined()
    expect(checkRegion('上海')).toBeUndefined()
    expect(checkRegion('广东省/深圳市/南山区', 2)).toBe('depth')
    expect(checkRegion('广东省/深圳市', 1)).toBe('depth')
  })

  it('refuses unknown provinces and empty parts', () => {
    expect(checkRegion('深圳市/南山区')).toBe('province')
    expect(checkRegion('广东省//南山区')).toBe('format')
    expect(checkRegion('广东省/')).toBe('format')
    expect(checkRegion(`广东省/${'长'.repeat(21)}`)).toBe('format')
  })

  it('stores the full province name without spaces around the slashes', () => {
    expect(normalizeRegion(' 广东 / 深圳市 / 南山区 ')).toBe('广东省/深圳市/南山区')
    expect(normalizeRegion('内蒙古/呼和浩特市')).toBe('内蒙古自治区/呼和浩特市')
  })
})
