import { type Column, DataMatrix } from '../core/matrix';
import type { AutoMlTarget } from './problem-type';

export type RawCell = number | string | null | undefined;

/**
 * Builds AutoML inputs from raw columns (e.g. parsed CSV): a column whose non-empty cells are
 * all numbers (or numeric strings) becomes numeric with NaN for empty cells; any other becomes
 * categorical with levels in order of first appearance. The target column becomes numeric
 * values (task detected later) or class labels when it holds text.
 */
export function autoMlInputFromColumns(
  columns: Readonly<Record<string, readonly RawCell[]>>,
  targetName: string,
): { x: DataMatrix; target: AutoMlTarget } {
  const target = columns[targetName];
  if (!target) throw new RangeError(`no column named "${targetName}"`);
  const features: Column[] = Object.entries(columns)
    .filter(([name]) => name !== targetName)
    .map(([name, cells]) => toColumn(name, cells));
  const targetColumn = toColumn(targetName, target);
  if (targetColumn.kind === 'numeric') {
    if (targetColumn.values.some(Number.isNaN)) throw new RangeError('target has empty cells');
    return { x: new DataMatrix(features), target: { kind: 'values', values: targetColumn.values } };
  }
  if (targetColumn.codes.some((c) => c < 0)) throw new RangeError('target has empty cells');
  return {
    x: new DataMatrix(features),
    target: { kind: 'classes', codes: targetColumn.codes, labels: targetColumn.levels },
  };
}

function toColumn(name: string, cells: readonly RawCell[]): Column {
  const empty = (c: RawCell): boolean => c === null || c === undefined || c === '';
  const numeric = cells.every(
    (c) =>
      empty(c) || typeof c === 'number' || (typeof c === 'string' && Number.isFinite(Number(c))),
  );
  if (numeric) {
    return {
      kind: 'numeric',
      name,
      values: Float64Array.from(cells, (c) => (empty(c) ? Number.NaN : Number(c))),
    };
  }
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(cells, (c) => {
    if (empty(c)) return -1;
    const key = String(c);
    let code = index.get(key);
    if (code === undefined) {
      code = levels.length;
      levels.push(key);
      index.set(key, code);
    }
    return code;
  });
  return { kind: 'categorical', name, codes, levels };
}
