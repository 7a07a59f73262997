import { App, Button, Empty, Tree, Typography } from 'antd'
import { useState } from 'react'
import { useLocale } from '../locale-context.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { useDepartments, type Department } from './admin-api.js'
import { DepartmentDialog } from './department-dialog.js'
import { buildDepartmentTree } from './department-tree.js'

/**
 * #/admin/departments: the tree, a button to add a department
 * (`data-action="new-department"`) and, on each node, one to rename or move
 * it (`data-action="edit-department"`, node `data-department="<name>"`).
 */
export function DepartmentsPage() {
  const { t } = useLocale()
  const { message } = App.useApp()
  const departments = useDepartments()
  const [editing, setEditing] = useState<{ department?: Department } | undefined>()

  if (departments.isError) {
    return <LoadProblem error={departments.error} onRetry={() => departments.refetch()} />
  }
  if (!departments.data) return <PageLoading />

  const byId = new Map(departments.data.map((d) => [d.id, d]))
  return (
    <div data-page="admin-departments">
      <div className="page-header">
        <Typography.Title level={3} className="page-title">{t('admin.departmentsTitle')}</Typography.Title>
        <Button type="primary" onClick={() => setEditing({})} data-action="new-department">
          {t('admin.newDepartment')}
        </Button>
      </div>
      {departments.data.length === 0 ? (
        <Empty description={t('admin.noDepartments')} />
      ) : (
        <Tree
          blockNode
          defaultExpandAll
          selectable={false}
          treeData={buildDepartmentTree(departments.data)}
          titleRender={(node) => (
            <span data-department={node.title}>
              {node.title}{' '}
              <Button
                type="link"
                size="small"
                onClick={() => setEditing({ department: byId.get(node.key) })}
                data-action="edit-department"
              >
                {t('admin.edit')}
              </Button>
            </span>
          )}
        />
      )}
      <DepartmentDialog
        open={editing !== undefined}
        department={editing?.department}
        onClose={(saved) => {
          setEditing(undefined)
          if (saved) message.success(t('admin.saved'))
        }}
      />
    </div>
  )
}
