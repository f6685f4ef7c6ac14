import type { CellValue } from './values';

/**
 * Category order as sklearn (numpy.unique) sorts: numbers numerically, false before true, strings
 * by code point (JS's default sort compares UTF-16 units, which differs above U+FFFF).
 */
export function compareCells(a: CellValue, b: CellValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const left = [...String(a)];
  const right = [...String(b)];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}
