import {
  closestCenter,
  pointerWithin,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core'

const BACK = new Set(['ArrowUp', 'ArrowLeft'])
const FORWARD = new Set(['ArrowDown', 'ArrowRight'])

/**
 * Keyboard moves in reading order: an arrow key takes the dragged card
 * onto the top-left corner of the previous or next field on the canvas
 * (across rows, columns and sections alike), so the keyboard never has to
 * guess from geometry where a 1-, 2- or 3-column grid continues.
 */
export function readingOrderMoves(order: () => readonly string[]): KeyboardCoordinateGetter {
  return (event, { context, currentCoordinates }) => {
    const step = BACK.has(event.code) ? -1 : FORWARD.has(event.code) ? 1 : 0
    if (step === 0) return undefined
    event.preventDefault()
    const ids = order()
    const from = String(context.over?.id ?? context.active ?? '')
    const target = ids[ids.indexOf(from) + step]
    const rect = target === undefined ? undefined : context.droppableRects.get(target)
    return rect ? { x: rect.left, y: rect.top } : currentCoordinates
  }
}

/**
 * Under a pointer: the field card beneath it, else the section. From the
 * keyboard (no pointer): the card whose top-left corner the dragged card
 * was moved onto.
 */
export const canvasCollisions: CollisionDetection = (args) => {
  if (args.pointerCoordinates) {
    const hits = pointerWithin(args)
    const fields = hits.filter((hit) => String(hit.id).startsWith('field:'))
    return fields.length > 0 ? fields : hits.length > 0 ? hits : closestCenter(args)
  }
  const { collisionRect } = args
  let best: { id: string | number; distance: number } | undefined
  for (const container of args.droppableContainers) {
    const rect = args.droppableRects.get(container.id)
    if (!rect || !String(container.id).startsWith('field:')) continue
    const distance = Math.abs(rect.left - collisionRect.left) + Math.abs(rect.top - collisionRect.top)
    if (!best || distance < best.distance) best = { id: container.id, distance }
  }
  return best ? [{ id: best.id, data: { value: best.distance } }] : []
}
