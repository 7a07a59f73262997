/** Timing helpers: medians of interleaved runs, so that drift hits every contender alike. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

/**
 * Runs each contender `runs` times, round-robin (a, b, c, a, b, c, …) after
 * one warm-up round, and returns each one's median in milliseconds.
 */
export async function interleaved(
  contenders: Record<string, () => Promise<unknown>>,
  runs: number,
): Promise<Record<string, number>> {
  const names = Object.keys(contenders)
  for (const name of names) await contenders[name]()
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < runs; round += 1) {
    for (const name of names) times[name].push(await timed(contenders[name]))
  }
  return Object.fromEntries(names.map((name) => [name, median(times[name])]))
}

/** Rows as comparable text: every value as a string, so int8 "3" and 3 agree. */
export function comparable(rows: Array<Record<string, unknown>>): string {
  return JSON.stringify(rows.map((row) =>
    Object.fromEntries(Object.keys(row).sort().map((key) => {
      const value = row[key]
      return [key, value === null || value === undefined ? null : String(value)]
    }))))
}

export function ms(value: number): string {
  return value.toFixed(1).padStart(8)
}
