/**
 * The order of variants in each repetition. Later runs benefit from a warmer page cache and suffer from whatever
 * else the machine is doing then, so each variant takes every position in turn: rotated, and reversed on odd reps.
 */
export function orderForRep<T>(variants: readonly T[], rep: number): T[] {
  const shift = variants.length === 0 ? 0 : rep % variants.length;
  const rotated = [...variants.slice(shift), ...variants.slice(0, shift)];
  return rep % 2 === 1 ? rotated.reverse() : rotated;
}
