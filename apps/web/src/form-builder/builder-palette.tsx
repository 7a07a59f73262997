import { useDraggable } from '@dnd-kit/core'
import type { KeyboardEvent, PointerEventHandler } from 'react'
import { useLocale } from '../locale-context.js'
import { PALETTE, type PaletteEntry } from './field-palette.js'

/** The id dnd-kit knows a palette entry by. */
export const paletteId = (entry: string) => `palette:${entry}`

/**
 * Every field type the engine has. Drag one onto the canvas (mouse or
 * touch), or click it, or focus it and press Enter or Space: it is added
 * after the selected field (or at the end).
 */
export function BuilderPalette({ onAdd }: { onAdd(entry: string): void }) {
  const { t } = useLocale()
  return (
    <nav className="fb-palette" aria-label={t('fb.palette')}>
      <div className="fb-panel-title">{t('fb.palette')}</div>
      <div className="fb-muted">{t('fb.paletteHint')}</div>
      <ul className="fb-palette-list">
        {PALETTE.map((entry) => <PaletteItem key={entry.id} entry={entry} onAdd={onAdd} />)}
      </ul>
    </nav>
  )
}

function PaletteItem({ entry, onAdd }: { entry: PaletteEntry; onAdd(entry: string): void }) {
  const { locale } = useLocale()
  const { setNodeRef, listeners, isDragging } = useDraggable({ id: paletteId(entry.id) })
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return
    event.preventDefault()
    onAdd(entry.id)
  }
  // Only the pointer drags from here: the keyboard adds with Enter instead.
  return (
    <li>
      <button type="button" ref={setNodeRef} className={`fb-palette-item${isDragging ? ' fb-dragging' : ''}`}
        data-palette={entry.id} onPointerDown={listeners?.onPointerDown as PointerEventHandler | undefined} onKeyDown={onKeyDown}
        onClick={() => onAdd(entry.id)}>
        <span className="fb-palette-icon" aria-hidden="true">{entry.icon}</span>
        {entry.name[locale]}
      </button>
    </li>
  )
}
