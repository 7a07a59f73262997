/**
 * The charts on screen, by widget key, as functions that draw a picture of
 * themselves: the dashboard's image export composes them. A chart adds
 * itself when drawn and removes itself when disposed.
 */
export type ChartSnapshot = () => string

const snapshots = new Map<string, ChartSnapshot>()

export function addSnapshot(key: string, snapshot: ChartSnapshot): () => void {
  snapshots.set(key, snapshot)
  return () => {
    if (snapshots.get(key) === snapshot) snapshots.delete(key)
  }
}

/** An SVG data URL of the widget's chart, if one is on screen. */
export function snapshotOf(key: string): string | undefined {
  return snapshots.get(key)?.()
}
