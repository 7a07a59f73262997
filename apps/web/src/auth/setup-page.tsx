import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { useLocale } from '../locale-context.js'
import { LanguageSwitch } from '../shell/language-switch.js'
import { useSetup } from './auth-api.js'
import { authErrorText } from './auth-error-text.js'
import { showFieldIssues } from './field-errors.js'
import './auth.css'

interface SetupValues {
  username: string
  displayName: string
  password: string
  passwordAgain: string
}

/**
 * First run: nobody can sign in yet, so the first visitor creates the
 * administrator. Test hooks: `data-page="setup"`, fields `data-field`,
 * the button `data-action="setup"`.
 */
export function SetupPage() {
  const { locale, t } = useLocale()
  const [form] = Form.useForm<SetupValues>()
  const setup = useSetup()

  const submit = ({ username, displayName, password }: SetupValues) =>
    setup.mutate(
      { username, displayName: displayName || username, password },
      { onError: (error) => showFieldIssues(form, error, ['username', 'displayName', 'password']) },
    )

  const required = { required: true, message: t('auth.required') }
  return (
    <div className="auth-page" data-page="setup">
      <div className="auth-tools"><LanguageSwitch /></div>
      <Card className="auth-card">
        <Typography.Title level={3}>{t('auth.setupTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('auth.setupIntro')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('auth.username')} rules={[required]} data-field="username">
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="displayName" label={t('auth.displayName')} data-field="displayName">
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[required]}
            extra={t('auth.passwordHint')}
            data-field="password"
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="passwordAgain"
            label={t('auth.passwordAgain')}
            dependencies={['password']}
            data-field="passwordAgain"
            rules={[
              required,
              ({ getFieldValue }) => ({
                validator: (_rule, value) =>
                  !value || value === getFieldValue('password')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('auth.passwordsDiffer'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {setup.isError && (
            <Alert type="error" showIcon title={authErrorText(setup.error, locale)} data-state="auth-error" />
          )}
          <Button type="primary" htmlType="submit" block loading={setup.isPending} data-action="setup" style={{ marginTop: 16 }}>
            {t('auth.setupSubmit')}
          </Button>
        </Form>
      </Card>
    </div>
  )
}
