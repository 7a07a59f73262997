import { domToCanvas } from 'modern-screenshot'

const PADDING = 16
const TITLE_HEIGHT = 28
const SCALE = 2

/**
 * The dashboard as one PNG, as it looks on screen: the grid of widgets
 * rendered from the page itself (modern-screenshot draws the DOM through an
 * SVG foreignObject, so KPI cards, tables and pivots keep their layout, and
 * the charts, drawn as SVG by echarts, come along), under the dashboard's
 * title and what its figures are of (`subtitle`: the as-of date, the
 * period, the filters set), at twice the screen's resolution. Buttons (export, remove, drill
 * path controls marked `data-action`) are left out, and widgets still
 * loading or drawing are waited for. Resolves to the PNG blob.
 */
export async function dashboardImage(grid: HTMLElement, title: string, subtitle = ''): Promise<Blob> {
  await chartsDrawn(grid)
  // Scroll bars the screen draws over its content (or not at all) would take room in the picture.
  grid.classList.add('picturing')
  let shot: HTMLCanvasElement
  try {
    shot = await domToCanvas(grid, {
      scale: SCALE,
      backgroundColor: '#ffffff',
      // The page uses the system's fonts (Noto CJK): nothing to download and embed.
      font: false,
      filter: (node) => !(node instanceof HTMLElement && node.dataset.action !== undefined),
    })
  } finally {
    grid.classList.remove('picturing')
  }

  const canvas = document.createElement('canvas')
  canvas.width = shot.width + PADDING * 2 * SCALE
  canvas.height = shot.height + (PADDING * 2 + TITLE_HEIGHT) * SCALE
  const context = canvas.getContext('2d')
  if (!context) throw new Error('this browser cannot draw on a canvas')
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, canvas.width, canvas.height)
  context.drawImage(shot, PADDING * SCALE, (PADDING + TITLE_HEIGHT) * SCALE)
  context.scale(SCALE, SCALE)
  context.fillStyle = '#1f1f1f'
  context.font = '600 18px sans-serif'
  context.fillText(title, PADDING, PADDING + 16)
  if (subtitle) {
    // The params and filters the figures are of, after the title.
    const after = PADDING + context.measureText(title).width + 16
    context.fillStyle = '#595959'
    context.font = '13px sans-serif'
    context.fillText(subtitle, after, PADDING + 16, Math.max(0, canvas.width / SCALE - after - PADDING))
  }

  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no image'))), 'image/png')
  })
}

/**
 * Waits (up to 10 s) until every widget has its data, every chart's code
 * has loaded, and no chart is still drawing: a picture taken earlier would
 * show spinners, or bars at nothing in the middle of their opening
 * animation. After that it pictures what there is.
 */
async function chartsDrawn(grid: HTMLElement): Promise<void> {
  const busy = '[data-state="loading"], .ant-spin-spinning, [data-chart-state="drawing"]'
  const until = Date.now() + 10_000
  while (grid.querySelector(busy) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
