import type { Department } from './admin-api.js'

/** A department with its children, in the shape antd's Tree and TreeSelect take. */
export interface DepartmentNode {
  key: number
  value: number
  title: string
  children: DepartmentNode[]
}

/**
 * Builds the tree from the flat list (any order). A department whose parent
 * is missing from the list becomes a root rather than disappearing.
 *
 * buildDepartmentTree([{ id: 1, name: '总部', parentId: null, path: '/1/' },
 *   { id: 2, name: '销售部', parentId: 1, path: '/1/2/' }])
 * → [{ key: 1, title: '总部', children: [{ key: 2, title: '销售部', children: [] }] }]
 */
export function buildDepartmentTree(departments: Department[]): DepartmentNode[] {
  const nodes = new Map<number, DepartmentNode>()
  for (const d of departments) nodes.set(d.id, { key: d.id, value: d.id, title: d.name, children: [] })

  const roots: DepartmentNode[] = []
  const sorted = [...departments].sort((a, b) => a.path.localeCompare(b.path) || a.name.localeCompare(b.name))
  for (const d of sorted) {
    const node = nodes.get(d.id)!
    const parent = d.parentId === null ? undefined : nodes.get(d.parentId)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** The departments a department may move under: not itself, not anything inside it. */
export function possibleParents(departments: Department[], moving: Department | undefined): Department[] {
  if (!moving) return departments
  return departments.filter((d) => !d.path.startsWith(moving.path))
}
