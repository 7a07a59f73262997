import { Button, Select } from 'antd'
import type { RecordPage } from '../api/types.js'
import { useLocale } from '../locale-context.js'

interface ListPagerProps {
  page: RecordPage | undefined
  pageSize: number
  /** Moves to the page after (`after`) or before (`before`) a cursor. */
  onPage(cursor: { after: string } | { before: string }): void
  onPageSize(size: number): void
}

const SIZES = [10, 20, 50, 100]

/**
 * Previous/next by cursor, the page size, and the total: exact, about
 * (an estimate of a huge table) or "more than" (a capped count). Test
 * hooks: `data-action="prev-page|next-page"`, `data-total`.
 */
export function ListPager({ page, pageSize, onPage, onPageSize }: ListPagerProps) {
  const { t } = useLocale()
  const total = page?.total ?? 0
  const shown = total.toLocaleString()
  const text = !page || page.totalExact
    ? t(total === 1 ? 'list.total.one' : 'list.total', { total: shown })
    : page.totalKind === 'estimate'
      ? t('list.totalAbout', { total: shown })
      : t('list.totalAtLeast', { total: shown })
  const sizes = SIZES.includes(pageSize) ? SIZES : [...SIZES, pageSize].sort((a, b) => a - b)

  return (
    <div className="list-pager">
      <span className="list-total" data-total={total} data-total-kind={page?.totalKind}>{text}</span>
      <Button disabled={!page?.prev} data-action="prev-page"
        onClick={() => page?.prev && onPage({ before: page.prev })}>
        {t('list.prev')}
      </Button>
      <Button disabled={!page?.next} data-action="next-page"
        onClick={() => page?.next && onPage({ after: page.next })}>
        {t('list.next')}
      </Button>
      <Select<number>
        value={pageSize}
        data-action="page-size"
        options={sizes.map((size) => ({ value: size, label: t('list.pageSize', { size }) }))}
        onChange={onPageSize}
      />
    </div>
  )
}
