import type { PublishedForm } from '@tessera/core'
import type { FormResponse } from './types.js'

/**
 * The PublishedForm a form response stands for, so that the browser can
 * run the same validator as the server. The API does not send the table;
 * it is named by the store's convention (app "customer-settlement", form
 * "invoice" → customer_settlement.invoice) and nothing in the browser uses it.
 */
export function toPublishedForm(response: FormResponse): PublishedForm {
  return {
    app: response.app,
    key: response.key,
    version: response.version,
    definition: response.definition,
    table: { schema: response.app.replaceAll('-', '_'), name: response.key },
  }
}
