import type { HTMLAttributes, ReactNode } from 'react'

/** One card: its title, then label and value lines; clickable when it drills. */
export interface FigureCard {
  key: string
  title: ReactNode
  lines: Array<{ key: string; label: string; value: ReactNode; props?: HTMLAttributes<HTMLElement> }>
  props?: HTMLAttributes<HTMLElement>
  total?: boolean
}

/**
 * A report's rows as cards on a phone: each row's name on top and every
 * figure below on its own line beside its label, whole, where a table
 * wider than the screen showed a figure cut at its edge (9,247 for
 * 9,247,245.61) or hid it under the sticky first column.
 */
export function FigureCards({ cards, layout }: { cards: FigureCard[]; layout: string }) {
  return (
    <div className="figure-cards" data-layout={layout}>
      {cards.map((card) => (
        <div key={card.key} {...card.props}
          className={[card.total ? 'figure-card figure-card-total' : 'figure-card', card.props?.className].filter(Boolean).join(' ')}>
          <div className="figure-card-title">{card.title}</div>
          <dl>
            {card.lines.map((line) => (
              <div key={line.key} {...line.props}
                className={['figure-card-line', line.props?.className].filter(Boolean).join(' ')}>
                <dt>{line.label}</dt>
                <dd>{line.value}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  )
}
