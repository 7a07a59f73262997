import { Checkbox, Form, Input, Modal, Select, TreeSelect } from 'antd'
import { useEffect } from 'react'
import { showFieldIssues } from '../auth/field-errors.js'
import { useLocale } from '../locale-context.js'
import {
  useCreateUser,
  useDepartments,
  useRoleOptions,
  useSetRoles,
  useUpdateUser,
  type UserRecord,
} from './admin-api.js'
import { buildDepartmentTree } from './department-tree.js'
import { roleLabel } from './role-label.js'

interface UserValues {
  username: string
  displayName: string
  password: string
  admin: boolean
  departmentId: number | null
  roles: string[]
}

interface UserDialogProps {
  /** The user to edit; absent to create one. */
  user?: UserRecord
  open: boolean
  onClose(saved: boolean): void
}

/**
 * Creates a user (username, password, department, roles) or edits one
 * (display name, department, administrator, roles). Fields carry
 * `data-field`, the OK button `data-action="save-user"`.
 */
export function UserDialog({ user, open, onClose }: UserDialogProps) {
  const { locale, t } = useLocale()
  const [form] = Form.useForm<UserValues>()
  const departments = useDepartments()
  const roleOptions = useRoleOptions()
  const create = useCreateUser()
  const update = useUpdateUser()
  const setRoles = useSetRoles()
  const busy = create.isPending || update.isPending || setRoles.isPending

  useEffect(() => {
    if (!open) return
    form.resetFields()
    form.setFieldsValue({
      username: user?.username ?? '',
      displayName: user?.displayName ?? '',
      password: '',
      admin: user?.admin ?? false,
      departmentId: user?.department?.id ?? null,
      roles: user?.roles ?? [],
    })
  }, [open, user, form])

  const fail = (error: unknown) => {
    showFieldIssues(form, error, ['username', 'displayName', 'password', 'departmentId', 'roles'])
  }

  const submit = async (values: UserValues) => {
    const common = {
      displayName: values.displayName || values.username,
      admin: values.admin,
      departmentId: values.departmentId ?? null,
    }
    try {
      if (user) {
        await update.mutateAsync({ id: user.id, changes: common })
        await setRoles.mutateAsync({ id: user.id, roles: values.roles })
      } else {
        await create.mutateAsync({ ...common, username: values.username, password: values.password, roles: values.roles })
      }
      onClose(true)
    } catch (error) {
      fail(error)
    }
  }

  const roles = (roleOptions.data ?? []).map((option) => {
    const value = `${option.app}/${option.key}`
    return { value, label: roleLabel(value, roleOptions.data ?? [], locale) }
  })
  const required = { required: true, message: t('auth.required') }

  return (
    <Modal
      open={open}
      title={user ? t('admin.editUser') : t('admin.newUser')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      cancelText={t('admin.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-action': 'save-user' }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="username" label={t('auth.username')} rules={[required]} data-field="username">
          <Input disabled={Boolean(user)} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('auth.displayName')} data-field="displayName">
          <Input />
        </Form.Item>
        {!user && (
          <Form.Item name="password" label={t('auth.password')} rules={[required]} extra={t('auth.passwordHint')} data-field="password">
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="departmentId" label={t('admin.department')} data-field="departmentId">
          <TreeSelect
            allowClear
            treeDefaultExpandAll
            placeholder={t('admin.noDepartment')}
            treeData={buildDepartmentTree(departments.data ?? [])}
          />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.roles')} data-field="roles">
          <Select mode={roles.length > 0 ? 'multiple' : 'tags'} options={roles} allowClear />
        </Form.Item>
        <Form.Item name="admin" valuePropName="checked" data-field="admin">
          <Checkbox>{t('auth.admin')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  )
}
