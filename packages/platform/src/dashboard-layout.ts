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

function overlaps(a: GridBox, b: GridBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}
