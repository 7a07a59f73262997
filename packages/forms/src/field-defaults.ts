/** Money has two digits after the point unless the field says otherwise. */
export const DEFAULT_MONEY_SCALE = 2

/** A percentage shows two digits after the point unless the field says otherwise. */
export const DEFAULT_PERCENT_SCALE = 2

/** Digits after the point of a percent field's stored fraction: 2 more than shown. */
export function percentFractionScale(scale: number | undefined): number {
  return (scale ?? DEFAULT_PERCENT_SCALE) + 2
}
