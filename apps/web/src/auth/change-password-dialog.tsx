import { App, Form, Input, Modal } from 'antd'
import { useLocale } from '../locale-context.js'
import { useChangePassword } from './auth-api.js'
import { authErrorText } from './auth-error-text.js'
import { showFieldIssues } from './field-errors.js'

interface ChangePasswordValues {
  currentPassword: string
  newPassword: string
  again: string
}

/** The own password: the current one, the new one twice. Other sessions end on success. */
export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const [form] = Form.useForm<ChangePasswordValues>()
  const change = useChangePassword()
  const required = { required: true, message: t('auth.required') }

  const submit = ({ currentPassword, newPassword }: ChangePasswordValues) =>
    change.mutate({ currentPassword, newPassword }, {
      onSuccess: () => {
        message.success(t('auth.passwordChanged'))
        form.resetFields()
        onClose()
      },
      onError: (error) => {
        if (!showFieldIssues(form, error, ['currentPassword', 'newPassword'])) {
          message.error(authErrorText(error, locale))
        }
      },
    })

  return (
    <Modal
      open={open}
      title={t('auth.changePassword')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      cancelText={t('admin.cancel')}
      confirmLoading={change.isPending}
      okButtonProps={{ 'data-action': 'save-password' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[required]} data-field="currentPassword">
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('auth.newPassword')} rules={[required]} extra={t('auth.passwordHint')} data-field="newPassword">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="again"
          label={t('auth.passwordAgain')}
          dependencies={['newPassword']}
          data-field="again"
          rules={[
            required,
            ({ getFieldValue }) => ({
              validator: (_rule, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.passwordsDiffer'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
