import { Button } from 'antd'
import { useLocale } from '../locale-context.js'
import type { DrillState } from './dashboard-queries.js'

interface DrillPathProps {
  levels: readonly string[]
  state: DrillState
  onChange(state: DrillState): void
}

/**
 * The values clicked so far, as steps back: "全部 › 华东". Each step
 * returns to its level with the path up to it.
 */
export function DrillPath({ levels, state, onChange }: DrillPathProps) {
  const { t } = useLocale()
  const clicked = levels.filter((level) =>
    [level, `${level}__index`, `${level}__others`].some((key) => key in state.path))
  if (clicked.length === 0) return null

  const back = (depth: number) => {
    const kept = Object.fromEntries(Object.entries(state.path).filter(([key]) =>
      clicked.slice(0, depth).some((level) => key.replace(/__(index|others)$/, '') === level)))
    // Back at the top is no drill at all (nothing to keep in the URL).
    onChange(depth === 0 ? { path: {} } : { level: levels[depth], path: kept })
  }
  return (
    <span className="drill-path" data-drill-path={JSON.stringify(state.path)}>
      {' '}
      <Button type="link" size="small" onClick={() => back(0)} data-action="drill-top">
        {t('widget.drillTop')}
      </Button>
      {clicked.map((level, depth) => (
        <span key={level}>
          {' › '}
          <Button type="link" size="small" onClick={() => back(depth + 1)}
            disabled={depth === clicked.length - 1}>
            {state.path[`${level}__others`] === true
              ? t('widget.others')
              : String(state.path[level] ?? state.path[`${level}__index`] ?? '—')}
          </Button>
        </span>
      ))}
    </span>
  )
}
