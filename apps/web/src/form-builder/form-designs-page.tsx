import type { FormDefinition } from '@tessera/core'
import { KEY_PATTERN, localize } from '@tessera/core'
import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Form, Input, List, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { isApiError } from '../api/api-error.js'
import { useLocale } from '../locale-context.js'
import { translate } from '../i18n.js'
import { routeHref, type RouteQuery } from '../routing/route.js'
import { hereNow, navigate } from '../routing/use-route.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { labelOf } from './design-issues.js'
import { createDesign, useFormDesigns } from './form-builder-api.js'
import './form-builder.css'

/** #/apps/:app/form-builder: the app's forms with their state, and a new form. */
export default function FormDesignsPage({ app, query }: { app: string; query: RouteQuery }) {
  const { locale, t } = useLocale()
  const designs = useFormDesigns(app)
  if (designs.isError) return <LoadProblem error={designs.error} onRetry={() => designs.refetch()} />
  if (!designs.data) return <PageLoading />

  return (
    <div className="fb-designs" data-form-designs={app}>
      <Typography.Title level={3} className="page-title">{t('fb.title')}</Typography.Title>
      <div className="fb-designs-grid">
        <NewFormCard app={app} autoFocus={query.new === '1'} taken={designs.data.map((d) => d.key)} />
        <Card size="small" title={t('fb.designs')}>
          <List size="small" dataSource={designs.data} renderItem={(design) => (
            <List.Item data-design={design.key} actions={[
              <a key="design" href={routeHref({ name: 'form-builder', app, form: design.key })}>{t('fb.design')}</a>,
            ]}>
              <Space wrap>
                <span>{localize(design.label, locale)}</span>
                <code>{design.key}</code>
                {design.publishedVersion === null ? <Tag color="orange">{t('fb.stateDraft')}</Tag>
                  : design.unpublishedChanges ? <Tag color="gold">{t('fb.stateChanged', { version: design.publishedVersion })}</Tag>
                  : <Tag color="green">{t('fb.statePublished', { version: design.publishedVersion })}</Tag>}
              </Space>
            </List.Item>
          )} />
        </Card>
      </div>
    </div>
  )
}

function NewFormCard({ app, autoFocus, taken }: { app: string; autoFocus: boolean; taken: string[] }) {
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const client = useQueryClient()
  const [key, setKey] = useState('')
  const [zh, setZh] = useState('')
  const [en, setEn] = useState('')
  const [problem, setProblem] = useState<string>()
  const [busy, setBusy] = useState(false)

  const create = async () => {
    if (!KEY_PATTERN.test(key) || taken.includes(key) || zh.trim() === '') {
      setProblem(!KEY_PATTERN.test(key) || taken.includes(key) ? t('fb.newKey') : t('fb.newLabelZh'))
      return
    }
    const definition: FormDefinition = {
      key,
      label: labelOf(zh.trim(), en.trim()),
      titleField: 'name',
      // Named in both languages, as the template's forms are.
      fields: [{ key: 'name', type: 'text', label: bothLanguages('fb.firstField'), required: true }],
      ui: { sections: [{ title: bothLanguages('fb.firstSection'), columns: 2, fields: ['name'] }] },
    }
    setBusy(true)
    const from = hereNow()
    try {
      await createDesign(app, definition, locale)
      await client.invalidateQueries({ queryKey: [locale, 'form-designs', app] })
      navigate({ name: 'form-builder', app, form: key }, { from })
    } catch (error) {
      const text = isApiError(error) && error.issues[0] ? `${error.issues[0].field}: ${error.issues[0].message}` : String(error)
      setProblem(text)
      message.error(error instanceof Error ? error.message : text)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card size="small" title={t('fb.newTitle')} data-new-form="">
      <Form layout="vertical" size="small" onFinish={create}>
        <Form.Item label={t('fb.newLabelZh')} required htmlFor="new-form-label-zh">
          <Input id="new-form-label-zh" value={zh} autoFocus={autoFocus} data-new-form-label=""
            onChange={(e) => setZh(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('fb.newLabelEn')} htmlFor="new-form-label-en">
          <Input id="new-form-label-en" value={en} data-new-form-label-en="" onChange={(e) => setEn(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('fb.newKey')} required validateStatus={problem ? 'error' : undefined} help={problem}
          htmlFor="new-form-key">
          <Input id="new-form-key" value={key} data-new-form-key="" placeholder="purchase_request"
            onChange={(e) => {
              setKey(e.target.value.trim())
              setProblem(undefined)
            }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-action="create-form">{t('fb.create')}</Button>
      </Form>
    </Card>
  )
}

function bothLanguages(key: 'fb.firstField' | 'fb.firstSection') {
  return labelOf(translate('zh-CN', key), translate('en', key))
}
