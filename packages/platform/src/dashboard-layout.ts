/** A widget's place on the 12-column grid. */
export interface GridBox {
  x: number
  y: number
  w: number
  h: number
}

/**
 * Moves each widget up as far as it goes without overlapping those above
 * it (in reading order: by row, then column), never down. For a reader
 * shown only some of a dashboard's widgets (those whose reports a role may
 * run), the others would otherwise leave holes the size of the widgets.
 *
 * @example
 * compactLayout([{ x: 0, y: 0, w: 6, h: 2 }, { x: 0, y: 5, w: 6, h: 2 }])
 * // → [{ x: 0, y: 0, w: 6, h: 2 }, { x: 0, y: 2, w: 6, h: 2 }]
 */
export function compactLayout<T extends GridBox>(boxes: readonly T[]): T[] {
  const order = boxes.map((box, index) => ({ box, index }))
    .sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x || a.index - b.index)
  const placed: GridBox[] = []
  const moved = [...boxes]
  for (const { box, index } of order) {
    let y = box.y
    while (y > 0 && !placed.some((other) => overlaps({ ...box, y: y - 1 }, other))) y -= 1
    const next = { ...box, y }
    placed.push(next)
    moved[index] = next
  }
  return moved
}

/**
 * The layout for a reader shown only some widgets (`shown[i]` for
 * `boxes[i]`): in each row as designed — widgets starting on the same
 * grid row with the same height, side by side — those shown share out the
 * width of the ones left out, in proportion to their own widths; then the
 * rows move up (compactLayout). Four KPI cards of width 3 with one left out
 * become three of width 4, not three and a hole. Returns the boxes shown,
 * in their order.
 *
 * @example
 * reflowLayout([{ x: 0, y: 0, w: 6, h: 2 }, { x: 6, y: 0, w: 6, h: 2 }], [true, false])
 * // → [{ x: 0, y: 0, w: 12, h: 2 }]
 */
export function reflowLayout<T extends GridBox>(boxes: readonly T[], shown: readonly boolean[]): T[] {
  const widened = [...boxes]
  const rows = new Map<string, number[]>()
  boxes.forEach((box, index) => {
    const row = `${box.y}:${box.h}`
    rows.set(row, [...(rows.get(row) ?? []), index])
  })
  for (const members of rows.values()) {
    const kept = members.filter((index) => shown[index]).sort((a, b) => boxes[a].x - boxes[b].x)
    if (kept.length === 0 || kept.length === members.length) continue
    // Only a row of widgets side by side: overlapping ones were not designed as a row.
    const all = [...members].sort((a, b) => boxes[a].x - boxes[b].x)
    if (all.some((index, at) => at > 0 && boxes[all[at - 1]].x + boxes[all[at - 1]].w > boxes[index].x)) continue
    const start = boxes[all[0]].x
    const span = boxes[all[all.length - 1]].x + boxes[all[all.length - 1]].w - start
    const weight = kept.reduce((sum, index) => sum + boxes[index].w, 0)
    let before = 0
    for (const index of kept) {
      const x = start + Math.round((span * before) / weight)
      before += boxes[index].w
      const end = start + Math.round((span * before) / weight)
      widened[index] = { ...boxes[index], x, w: end - x }
    }
  }
  return compactLayout(widened.filter((_, index) => shown[index]))
}

/**
 * Moves each widget that overlaps one listed before it down until it
 * overlaps none of those: a widget dropped onto another in the layout
 * editor (or a hand-written layout placing two in one spot) would
 * otherwise hide one under the other. The widget listed first keeps its
 * place; widgets that overlap nothing keep theirs, gaps included.
 *
 * @example
 * settleLayout([{ x: 0, y: 0, w: 6, h: 2 }, { x: 3, y: 1, w: 6, h: 2 }])
 * // → [{ x: 0, y: 0, w: 6, h: 2 }, { x: 3, y: 2, w: 6, h: 2 }]
 */
export function settleLayout<T extends GridBox>(boxes: readonly T[]): T[] {
  const placed: T[] = []
  for (const box of boxes) {
    let next = box
    for (let blocker = placed.find((other) => overlaps(next, other)); blocker;
      blocker = placed.find((other) => overlaps(next, other))) {
      next = { ...next, y: blocker.y + blocker.h }
    }
    placed.push(next)
  }
  return placed
}

function overlaps(a: GridBox, b: GridBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}
