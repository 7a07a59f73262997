/**
 * Identical report runs in flight at the same moment share one execution:
 * a dashboard asks for all its widgets at once, and several widgets often
 * show measures of the same report with the same params and filters. The
 * key holds everything the answer depends on, the actor included (row
 * scopes differ). Nothing is kept once the run settles, so no answer is
 * ever served stale.
 */
const running = new Map<string, Promise<unknown>>()

export function shareRun<T>(key: string, run: () => Promise<T>): Promise<T> {
  const known = running.get(key)
  if (known) return known as Promise<T>

  const started = run().finally(() => running.delete(key))
  running.set(key, started)
  return started
}
