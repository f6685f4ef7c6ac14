import type { CellValue } from '../values';
import type { Family } from './compiled';
import { temporalKey } from './temporal';
import { compareStrings } from './text';

/** Orders two non-null values of one family the way DuckDB does. */
export function comparatorFor(family: Family): (a: CellValue, b: CellValue) => number {
  switch (family) {
    case 'number':
      return (a, b) => Math.sign((a as number) - (b as number));
    case 'boolean':
      return (a, b) => Number(a) - Number(b);
    case 'string':
      return (a, b) => compareStrings(a as string, b as string);
    case 'temporal':
      return (a, b) => compareStrings(temporalKey(a as string), temporalKey(b as string));
    case 'none':
      return () => 0;
  }
}
