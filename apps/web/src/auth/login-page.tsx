import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { useLocale } from '../locale-context.js'
import { LanguageSwitch } from '../shell/language-switch.js'
import { useLogin } from './auth-api.js'
import { authErrorText } from './auth-error-text.js'
import './auth.css'

/**
 * Sign-in. Test hooks: `data-page="login"`, fields `data-field`, the button
 * `data-action="login"`, the problem `data-state="auth-error"`.
 */
export function LoginPage() {
  const { locale, t } = useLocale()
  const login = useLogin()
  const required = { required: true, message: t('auth.required') }

  return (
    <div className="auth-page" data-page="login">
      <div className="auth-tools"><LanguageSwitch /></div>
      <Card className="auth-card">
        <Typography.Title level={3}>{t('auth.loginTitle')}</Typography.Title>
        <Form layout="vertical" onFinish={(values) => login.mutate(values)} requiredMark={false}>
          <Form.Item name="username" label={t('auth.username')} rules={[required]} data-field="username">
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[required]} data-field="password">
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {login.isError && (
            <Alert type="error" showIcon title={authErrorText(login.error, locale)} data-state="auth-error" />
          )}
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-action="login" style={{ marginTop: 16 }}>
            {t('auth.loginSubmit')}
          </Button>
        </Form>
      </Card>
    </div>
  )
}
