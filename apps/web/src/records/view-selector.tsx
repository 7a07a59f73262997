import { App as AntApp, Button, Checkbox, Dropdown, Input, Modal, Select } from 'antd'
import { useState } from 'react'
import type { ListView } from '../api/types.js'
import { useCurrentUser } from '../auth/current-user.js'
import { useLocale } from '../locale-context.js'
import { useListViews, type ViewSpec } from './view-queries.js'

interface ViewSelectorProps {
  app: string
  form: string
  /** The view the list shows, from the URL's `view`. */
  active?: number
  /** The list as it is now, for saving. */
  current: ViewSpec
  onPick(view: ListView | undefined): void
}

/**
 * Picks, saves, renames, deletes and makes default the user's saved views
 * (and, for admins, shared ones). Test hooks: `data-action="view-select"`,
 * `"view-menu"`, menu items `data-view-action="<key>"`, the name dialog
 * `data-dialog="view-name"`.
 */
export function ViewSelector({ app, form, active, current, onPick }: ViewSelectorProps) {
  const { t } = useLocale()
  const { message } = AntApp.useApp()
  const user = useCurrentUser()
  const { views, create, update, remove, setDefault } = useListViews(app, form)
  const [naming, setNaming] = useState<'create' | 'rename' | undefined>()
  const [name, setName] = useState('')
  const [shared, setShared] = useState(false)
  const list = views.data ?? []
  const view = list.find((v) => v.id === active)
  const mayChange = view && (view.shared ? user.admin : view.mine)

  const save = async () => {
    try {
      if (naming === 'rename' && view) await update.mutateAsync({ id: view.id, name })
      else onPick(await create.mutateAsync({ name, shared, spec: current }))
      setNaming(undefined)
      message.success(t('list.view.saved'))
    } catch (error) {
      message.error((error as Error).message)
    }
  }

  const items = [
    { key: 'saveAs', label: t('list.view.saveAs') },
    ...(view && mayChange ? [
      { key: 'update', label: t('list.view.update') },
      { key: 'rename', label: t('list.view.rename') },
      { key: 'delete', label: t('list.view.delete'), danger: true },
    ] : []),
    ...(view ? [view.isDefault
      ? { key: 'clearDefault', label: t('list.view.clearDefault') }
      : { key: 'makeDefault', label: t('list.view.makeDefault') }] : []),
  ].map((item) => ({ ...item, 'data-view-action': item.key }))

  const onMenu = async ({ key }: { key: string }) => {
    if (key === 'saveAs') {
      setName('')
      setShared(false)
      setNaming('create')
    } else if (key === 'rename' && view) {
      setName(view.name)
      setNaming('rename')
    } else if (key === 'update' && view) {
      await update.mutateAsync({ id: view.id, spec: current })
      message.success(t('list.view.saved'))
    } else if (key === 'delete' && view) {
      Modal.confirm({
        title: t('list.view.deleteConfirm', { name: view.name }),
        onOk: async () => {
          await remove.mutateAsync(view.id)
          onPick(undefined)
        },
      })
    } else if (key === 'makeDefault' && view) await setDefault.mutateAsync(view.id)
    else if (key === 'clearDefault') await setDefault.mutateAsync(null)
  }

  return (
    <span className="view-selector">
      <Select<number>
        className="view-select" data-action="view-select" aria-label={t('list.view')}
        value={active ?? 0}
        loading={views.isLoading}
        popupMatchSelectWidth={false}
        options={[
          { value: 0, label: t('list.view.none') },
          ...list.map((v) => ({
            value: v.id,
            label: [
              v.name,
              v.shared ? t('list.view.shared') : '',
              v.isDefault ? t('list.view.default') : '',
            ].filter(Boolean).join(' · '),
          })),
        ]}
        onChange={(id) => onPick(list.find((v) => v.id === id))}
      />
      <Dropdown menu={{ items, onClick: onMenu }} trigger={['click']}>
        <Button data-action="view-menu" aria-label={t('list.view.actions')}>⋯</Button>
      </Dropdown>
      <Modal
        open={naming !== undefined}
        title={naming === 'rename' ? t('list.view.rename') : t('list.view.saveAs')}
        onCancel={() => setNaming(undefined)}
        onOk={save}
        okButtonProps={{ disabled: !name.trim(), loading: create.isPending || update.isPending }}
        destroyOnHidden
      >
        <div data-dialog="view-name">
          <Input autoFocus placeholder={t('list.view.name')} value={name} maxLength={60}
            onChange={(e) => setName(e.target.value)} data-field="view-name" />
          {naming === 'create' && user.admin && (
            <Checkbox checked={shared} onChange={(e) => setShared(e.target.checked)} data-field="view-shared"
              style={{ marginTop: 12 }}>
              {t('list.view.shareAll')}
            </Checkbox>
          )}
        </div>
      </Modal>
    </span>
  )
}
