import { Alert } from 'antd'

/** What a widget shows instead of its figures when it cannot show them. */
export function WidgetProblem({ text }: { text: string }) {
  return <Alert type="warning" showIcon title={text} className="widget-problem" />
}
