import type { DuckDBValue } from '@duckdb/node-api';
import type { ColumnSchema, StorageType } from '../../datasets/engine/typed-copy';

/**
 * One cell as the TypeScript path of a pipeline sees it (and as prediction receives it):
 * BIGINT and DOUBLE → number, BOOLEAN → boolean, VARCHAR → string, DATE → 'YYYY-MM-DD',
 * TIMESTAMP → 'YYYY-MM-DD HH:MM:SS' with '.ffffff' only when there are fractional seconds
 * (DuckDB's own VARCHAR rendering), missing → null. The DuckDB path's results are converted with
 * `cellFromDuckDb` so both paths can be compared value for value.
 */
export type CellValue = number | string | boolean | null;
export type Row = Record<string, CellValue>;

export type { ColumnSchema, StorageType };

export function cellFromDuckDb(value: DuckDBValue | undefined, storage: StorageType): CellValue {
  if (value === null || value === undefined) return null;
  switch (storage) {
    case 'BIGINT':
    case 'DOUBLE':
      return typeof value === 'number' ? value : Number(value);
    case 'BOOLEAN':
      return Boolean(value);
    case 'VARCHAR':
      return typeof value === 'string' ? value : String(value);
    case 'DATE':
    case 'TIMESTAMP':
      return String(value);
  }
}
