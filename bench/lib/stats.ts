/** Robust summaries of a few repeated runs: on a shared machine the median resists one-off stalls. */

/** The median of `values`; `NaN` when there are none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The smallest of `values`; `NaN` when there are none. */
export function minimum(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

/** `value / floor`, or `NaN` when either is missing or the floor is not positive. */
export function ratio(value: number, floor: number): number {
  return Number.isFinite(value) && Number.isFinite(floor) && floor > 0 ? value / floor : Number.NaN;
}
