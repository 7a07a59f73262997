import { snapshotOf } from '../charts/chart-snapshots.js'

const PADDING = 16
const TITLE_HEIGHT = 28
const SCALE = 2

/**
 * The dashboard as one PNG: every widget's card drawn where it stands on
 * screen, charts from their own SVG pictures (echarts getDataURL), other
 * widgets (figures, tables) as their text. Resolves to the PNG blob.
 */
export async function dashboardImage(grid: HTMLElement, title: string): Promise<Blob> {
  const bounds = grid.getBoundingClientRect()
  const canvas = document.createElement('canvas')
  canvas.width = Math.ceil((bounds.width + PADDING * 2) * SCALE)
  canvas.height = Math.ceil((bounds.height + PADDING * 2 + TITLE_HEIGHT) * SCALE)
  const context = canvas.getContext('2d')
  if (!context) throw new Error('this browser cannot draw on a canvas')

  context.scale(SCALE, SCALE)
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, canvas.width, canvas.height)
  context.fillStyle = '#1f1f1f'
  context.font = '600 18px sans-serif'
  context.fillText(title, PADDING, PADDING + 16)

  const cards = [...grid.querySelectorAll<HTMLElement>('[data-widget]')]
  for (const card of cards) {
    const box = card.getBoundingClientRect()
    const x = box.left - bounds.left + PADDING
    const y = box.top - bounds.top + PADDING + TITLE_HEIGHT
    await drawCard(context, card, { x, y, width: box.width, height: box.height })
  }

  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no image'))), 'image/png')
  })
}

interface Box {
  x: number
  y: number
  width: number
  height: number
}

async function drawCard(context: CanvasRenderingContext2D, card: HTMLElement, box: Box) {
  context.strokeStyle = '#f0f0f0'
  context.strokeRect(box.x, box.y, box.width, box.height)
  const heading = card.querySelector('.widget-move')?.textContent ?? ''
  context.fillStyle = '#1f1f1f'
  context.font = '600 14px sans-serif'
  context.fillText(heading, box.x + 12, box.y + 22, box.width - 24)

  const body = { x: box.x + 8, y: box.y + 36, width: box.width - 16, height: box.height - 44 }
  const picture = snapshotOf(card.dataset.widget ?? '')
  if (picture) {
    const image = await loadImage(picture)
    context.drawImage(image, body.x, body.y, body.width, body.height)
    return
  }
  drawText(context, card.querySelector('.ant-card-body')?.textContent ?? '', body)
}

function drawText(context: CanvasRenderingContext2D, text: string, box: Box) {
  context.font = '13px sans-serif'
  context.fillStyle = '#262626'
  const lineHeight = 18
  const words = text.replace(/\s+/g, ' ').trim()
  let line = ''
  let y = box.y + lineHeight
  for (const char of words) {
    if (context.measureText(line + char).width > box.width) {
      context.fillText(line, box.x, y)
      line = ''
      y += lineHeight
      if (y > box.y + box.height) return
    }
    line += char
  }
  if (line) context.fillText(line, box.x, y)
}

function loadImage(source: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image()
    image.onload = () => resolve(image)
    image.onerror = () => reject(new Error('a chart picture could not be read'))
    image.src = source
  })
}
