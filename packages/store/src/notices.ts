import pg from 'pg'

/**
 * What one process says to the others on the same PostgreSQL database:
 * NOTIFY on a channel, delivered when the notifying transaction commits
 * (never when it rolls back) to every session that LISTENs on it.
 *
 * One connection per open database listens, beside the pool, for every
 * channel anyone subscribed to. When that connection is lost it is opened
 * again (after 1 s, then up to 30 s apart); notices sent in between are
 * lost, so each handler is then called with `undefined`, meaning "anything
 * may have changed".
 */
export type NoticeHandler = (payload: string | undefined) => void

const FIRST_DELAY_MS = 1_000
const MAX_DELAY_MS = 30_000

export class NoticeListener {
  readonly #url: string
  readonly #handlers = new Map<string, Set<NoticeHandler>>()
  #client: pg.Client | undefined
  #connecting: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #delay = FIRST_DELAY_MS
  /** A connection was lost or could not be opened: notices may have been missed. */
  #missed = false
  #closed = false

  constructor(url: string) {
    this.#url = url
  }

  /**
   * Subscribes; the returned function unsubscribes. Resolves after the
   * first try to listen, which retries on its own if it failed.
   */
  async subscribe(channel: string, handler: NoticeHandler): Promise<() => void> {
    assertChannel(channel)
    let handlers = this.#handlers.get(channel)
    if (!handlers) {
      handlers = new Set()
      this.#handlers.set(channel, handlers)
      const client = this.#client
      if (client) await client.query(`listen ${channel}`).catch(() => this.#lost(client))
    }
    handlers.add(handler)
    await this.#connect()
    return () => {
      handlers.delete(handler)
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    await this.#connecting?.catch(() => {})
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }

  #connect(): Promise<void> {
    if (this.#client || this.#closed) return Promise.resolve()
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined
    })
    return this.#connecting
  }

  async #open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url })
    client.on('notification', (message) => this.#deliver(message.channel, message.payload))
    client.on('error', () => this.#lost(client))
    client.on('end', () => this.#lost(client))
    try {
      await client.connect()
      for (const channel of this.#handlers.keys()) await client.query(`listen ${channel}`)
    } catch {
      await client.end().catch(() => {})
      this.#retryLater()
      return
    }
    if (this.#closed) {
      await client.end().catch(() => {})
      return
    }
    this.#client = client
    this.#delay = FIRST_DELAY_MS
    // Whatever was said while no connection listened is unknown.
    if (this.#missed) for (const channel of this.#handlers.keys()) this.#deliver(channel, undefined)
    this.#missed = false
  }

  #lost(client?: pg.Client): void {
    if (client && client !== this.#client) return
    this.#client = undefined
    client?.end().catch(() => {})
    this.#retryLater()
  }

  #retryLater(): void {
    this.#missed = true
    if (this.#closed || this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#connect().catch(() => {})
    }, this.#delay)
    this.#timer.unref()
    this.#delay = Math.min(this.#delay * 2, MAX_DELAY_MS)
  }

  #deliver(channel: string, payload: string | undefined): void {
    for (const handler of this.#handlers.get(channel) ?? []) {
      try {
        handler(payload)
      } catch {
        // A handler's failure must not stop the others or the connection.
      }
    }
  }
}

/** Channels are our own constants; anything else is a programming error, not input. */
function assertChannel(channel: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad notice channel "${channel}"`)
}
