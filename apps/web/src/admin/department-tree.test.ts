import { describe, expect, it } from 'vitest'
import type { Department } from './admin-api.js'
import { buildDepartmentTree, possibleParents } from './department-tree.js'

const list: Department[] = [
  { id: 4, name: '华东', parentId: 2, path: '/1/2/4/' },
  { id: 1, name: '总部', parentId: null, path: '/1/' },
  { id: 2, name: '销售部', parentId: 1, path: '/1/2/' },
  { id: 3, name: '财务部', parentId: 1, path: '/1/3/' },
  { id: 9, name: '孤儿', parentId: 8, path: '/8/9/' },
]

describe('the department tree', () => {
  it('nests children under parents, whatever the order of the list', () => {
    const tree = buildDepartmentTree(list)
    expect(tree.map((n) => n.title)).toEqual(['总部', '孤儿'])
    expect(tree[0].children.map((n) => n.title)).toEqual(['销售部', '财务部'])
    expect(tree[0].children[0].children.map((n) => n.key)).toEqual([4])
  })

  it('offers as new parents everything outside the moving subtree', () => {
    expect(possibleParents(list, list[2]).map((d) => d.id).sort()).toEqual([1, 3, 9])
    expect(possibleParents(list, undefined)).toHaveLength(5)
  })
})
