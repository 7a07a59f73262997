import { findProvince } from './china-provinces.js'

/**
 * A place in China as one text: "省/市/区" ("广东省/深圳市/南山区"), up to
 * `depth` parts. The first part must name a province-level division
 * (full or short name; stored in full); the parts below are free text of
 * at most 20 characters without "/". Spaces around the slashes are dropped.
 *
 * @example
 * normalizeRegion(' 广东 / 深圳市 / 南山区 ') // "广东省/深圳市/南山区"
 */
export const REGION_SEPARATOR = '/'

export type RegionProblem = 'format' | 'province' | 'depth'

export function checkRegion(text: string, depth = 3): RegionProblem | undefined {
  const parts = regionParts(text)
  if (parts.some((part) => part === '' || part.length > 20)) return 'format'
  if (parts.length > depth) return 'depth'
  return findProvince(parts[0]) ? undefined : 'province'
}

export function normalizeRegion(text: string): string {
  const [first, ...rest] = regionParts(text)
  const province = findProvince(first)?.name ?? first
  return [province, ...rest].join(REGION_SEPARATOR)
}

export function regionParts(text: string): string[] {
  return text.split(REGION_SEPARATOR).map((part) => part.trim())
}
