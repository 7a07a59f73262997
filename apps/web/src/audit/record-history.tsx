import type { FieldDefinition } from '@tessera/core'
import { Card, Empty, Timeline, Typography } from 'antd'
import { useCompanyTime } from '../format/zoned-time.js'
import { useLocale } from '../locale-context.js'
import type { MessageKey } from '../i18n.js'
import { LoadProblem, PageLoading } from '../shell/load-state.js'
import { useRecordHistory } from './audit-api.js'
import { ChangeList } from './change-list.js'
import './audit.css'

interface RecordHistoryProps {
  app: string
  form: string
  id: number
  version: number
  fields: FieldDefinition[]
}

/** Actors that are not users: the command line (imports, template installs) and the platform itself. */
export const NAMED_ACTORS: Record<string, MessageKey> = {
  cli: 'access.actor.cli',
  system: 'access.actor.system',
}

const EVENTS: Record<string, MessageKey> = {
  'record.create': 'access.event.record.create',
  'record.update': 'access.event.record.update',
  'record.delete': 'access.event.record.delete',
}

/**
 * The record's history from the audit trail: who, when, and each changed
 * field before → after. The server leaves out fields hidden from the reader.
 * Test hooks: `data-history` on the card, `data-event` per entry.
 */
export function RecordHistory({ app, form, id, version, fields }: RecordHistoryProps) {
  const { t } = useLocale()
  const history = useRecordHistory(app, form, id, version)
  const time = useCompanyTime()

  let body
  if (history.isError) body = <LoadProblem error={history.error} onRetry={() => history.refetch()} />
  else if (!history.data) body = <PageLoading />
  else if (history.data.length === 0) body = <Empty description={t('access.noHistory')} />
  else {
    const items = [...history.data].reverse().map((row) => ({
      key: row.id,
      children: (
        <div data-event={row.action} data-actor={row.actor}>
          <Typography.Text strong>{EVENTS[row.action] ? t(EVENTS[row.action]) : row.action}</Typography.Text>
          <Typography.Text type="secondary" className="history-meta">
            {' '}{time(row.at)} · {row.actorName ?? (NAMED_ACTORS[row.actor] ? t(NAMED_ACTORS[row.actor]) : row.actor)}
          </Typography.Text>
          <ChangeList before={row.before} after={row.after} fields={[...fields, ...(row.removedFields ?? [])]} titles={row.titles} />
        </div>
      ),
    }))
    body = <Timeline items={items} />
  }

  return (
    <Card size="small" title={t('access.history')} className="record-history" data-history={id}>
      {body}
    </Card>
  )
}
