import { type LocalizedText, localize } from '@tessera/core'
import { App, Button, List, Modal } from 'antd'
import { type ReactNode, useState } from 'react'
import { apiPath, apiRequest } from '../api/api-client.js'
import { useLocale } from '../locale-context.js'
import { keepScroll } from '../routing/scroll-memory.js'
import { hereNow, navigate } from '../routing/use-route.js'
import { type DrillListRequest, drillListRoute, drillShape } from './drill-records.js'

/** GET /api/apps/:app/drill/forms: a form with records behind a figure, and how many. */
export interface DrillForm {
  form: string
  label: LocalizedText
  count: number
}

interface Choice {
  app: string
  drill: DrillListRequest
  forms: DrillForm[]
  from: string
}

/**
 * Opens the records behind a clicked figure. The server says which forms
 * hold them: one for a report over one form, and the list opens at once;
 * for a report over several forms (a ledger of invoices, receipts and
 * write-offs), each form that has any, and a dialog lets the reader choose
 * (发票 · 3 条). Render `element` once on the page.
 *
 * Test hooks: the dialog carries `data-drill-forms`, each choice
 * `data-drill-form="<form>"`.
 */
export function useDrillOpener(): { open(app: string, drill: DrillListRequest): Promise<void>; element: ReactNode } {
  const { locale, t } = useLocale()
  const { message } = App.useApp()
  const [choice, setChoice] = useState<Choice | undefined>()

  const go = (app: string, form: string, drill: DrillListRequest, from: string) => {
    if (from !== hereNow()) return
    // Back from the list finds the figure where it was, not the page's top.
    keepScroll()
    // (The list opens at its top, as every other page does: see the app shell.)
    navigate(drillListRoute(app, form, drill), { from })
  }

  const open = async (app: string, clicked: DrillListRequest) => {
    const from = hereNow()
    // The figure's values as shown now, in this language, even if the list is read in the other.
    const drill = { ...clicked, locale: clicked.locale ?? locale }
    const hide = message.loading(t('widget.drillOpening'), 0)
    try {
      const forms = await apiRequest<DrillForm[]>({
        path: apiPath('apps', app, 'drill', 'forms'), query: { drill: JSON.stringify(drillShape(drill)) }, locale,
      })
      if (forms.length === 0) {
        message.info(t('widget.drillNone'))
      } else if (forms.length === 1) {
        go(app, forms[0].form, drill, from)
      } else if (from === hereNow()) {
        setChoice({ app, drill, forms, from })
      }
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error))
    } finally {
      hide()
    }
  }

  const element = (
    <Modal
      // A reader who went Back or elsewhere meanwhile no longer sees the question of the page they left.
      open={choice !== undefined && choice.from === hereNow()}
      title={t('widget.drillChoose')}
      footer={null}
      onCancel={() => setChoice(undefined)}
      destroyOnHidden
    >
      {choice && (
        <List
          data-drill-forms=""
          dataSource={choice.forms}
          renderItem={(item) => (
            <List.Item>
              <Button
                type="link"
                data-drill-form={item.form}
                onClick={() => {
                  setChoice(undefined)
                  go(choice.app, item.form, choice.drill, choice.from)
                }}
              >
                {t('widget.drillFormCount', { form: localize(item.label, locale) || item.form, count: item.count })}
              </Button>
            </List.Item>
          )}
        />
      )}
    </Modal>
  )
  return { open, element }
}
