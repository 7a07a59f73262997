import { Form, Input, Modal, TreeSelect } from 'antd'
import { useEffect } from 'react'
import { showFieldIssues } from '../auth/field-errors.js'
import { useLocale } from '../locale-context.js'
import { useDepartments, useSaveDepartment, type Department } from './admin-api.js'
import { buildDepartmentTree, possibleParents } from './department-tree.js'

interface DepartmentDialogProps {
  /** The department to rename or move; absent to create one. */
  department?: Department
  open: boolean
  onClose(saved: boolean): void
}

/** Name and parent of a department. Moving one moves everything under it. */
export function DepartmentDialog({ department, open, onClose }: DepartmentDialogProps) {
  const { t } = useLocale()
  const [form] = Form.useForm<{ name: string; parentId: number | null }>()
  const departments = useDepartments()
  const save = useSaveDepartment()

  useEffect(() => {
    if (!open) return
    form.resetFields()
    form.setFieldsValue({ name: department?.name ?? '', parentId: department?.parentId ?? null })
  }, [open, department, form])

  const submit = (values: { name: string; parentId: number | null }) =>
    save.mutate({ id: department?.id, name: values.name, parentId: values.parentId ?? null }, {
      onSuccess: () => onClose(true),
      onError: (error) => showFieldIssues(form, error, ['name', 'parentId']),
    })

  const parents = buildDepartmentTree(possibleParents(departments.data ?? [], department))
  return (
    <Modal
      open={open}
      title={department ? t('admin.rename') : t('admin.newDepartment')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      cancelText={t('admin.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-action': 'save-department' }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="name"
          label={t('admin.departmentName')}
          rules={[{ required: true, message: t('auth.required') }]}
          data-field="name"
        >
          <Input />
        </Form.Item>
        <Form.Item name="parentId" label={t('admin.parentDepartment')} data-field="parentId">
          <TreeSelect allowClear treeDefaultExpandAll placeholder={t('admin.topLevel')} treeData={parents} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
