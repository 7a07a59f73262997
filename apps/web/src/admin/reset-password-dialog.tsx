import { App, Form, Input, Modal } from 'antd'
import { showFieldIssues } from '../auth/field-errors.js'
import { useLocale } from '../locale-context.js'
import { useResetPassword, type UserRecord } from './admin-api.js'

/** An administrator sets a new password for someone; their sessions end. */
export function ResetPasswordDialog({ user, onClose }: { user?: UserRecord; onClose(): void }) {
  const { t } = useLocale()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ password: string }>()
  const reset = useResetPassword()

  const submit = ({ password }: { password: string }) => {
    if (!user) return
    reset.mutate({ id: user.id, password }, {
      onSuccess: () => {
        message.success(t('admin.passwordReset'))
        form.resetFields()
        onClose()
      },
      onError: (error) => showFieldIssues(form, error, ['password']),
    })
  }

  return (
    <Modal
      open={user !== undefined}
      title={`${t('admin.resetPassword')} · ${user?.displayName ?? ''}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      cancelText={t('admin.cancel')}
      confirmLoading={reset.isPending}
      okButtonProps={{ 'data-action': 'save-reset-password' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="password"
          label={t('auth.newPassword')}
          rules={[{ required: true, message: t('auth.required') }]}
          extra={t('auth.passwordHint')}
          data-field="password"
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
