import { TreeSelect } from 'antd'
import { useMemo } from 'react'
import { useLocale } from '../locale-context.js'
import { useDepartments, type DepartmentEntry } from './people-queries.js'

type DepartmentValue = number | number[] | null

interface DepartmentSelectProps {
  id?: string
  value?: DepartmentValue
  onChange?(value: DepartmentValue): void
  multiple?: boolean
  status?: 'error'
  disabled?: boolean
}

interface TreeNode {
  value: number
  title: string
  children: TreeNode[]
}

/** The flat list (parents first) as a tree. */
export function departmentTree(list: readonly DepartmentEntry[]): TreeNode[] {
  const nodes = new Map<number, TreeNode>()
  const roots: TreeNode[] = []
  for (const entry of list) nodes.set(entry.id, { value: entry.id, title: entry.name, children: [] })
  for (const entry of list) {
    const node = nodes.get(entry.id)!
    const parent = entry.parentId === null ? undefined : nodes.get(entry.parentId)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** Picks one department (or several) from the department tree, searchable by name. */
export function DepartmentSelect({ value, onChange, multiple, ...rest }: DepartmentSelectProps) {
  const { t } = useLocale()
  const departments = useDepartments()
  const tree = useMemo(() => departmentTree(departments.data ?? []), [departments.data])
  const shown = multiple ? (Array.isArray(value) ? value : []) : (value ?? null)

  return (
    <TreeSelect<DepartmentValue>
      {...rest}
      multiple={multiple}
      allowClear
      treeDefaultExpandAll
      value={shown}
      treeData={tree}
      loading={departments.isFetching}
      placeholder={t('people.pickDepartment')}
      showSearch
      treeNodeFilterProp="title"
      onChange={(next) => {
        if (multiple) onChange?.(Array.isArray(next) && next.length > 0 ? next : null)
        else onChange?.(typeof next === 'number' ? next : null)
      }}
      data-control="department"
    />
  )
}
