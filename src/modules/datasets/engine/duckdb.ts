import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export interface DuckDbOptions {
  /** Worker threads DuckDB may use. */
  threads: number;
  /** DuckDB's memory limit, e.g. '1GB'; it spills to `tempDirectory` beyond it. */
  memoryLimit: string;
  tempDirectory: string;
}

/** Opens an in-memory DuckDB database; read_csv/read_json/read_parquet work on local files. */
export async function openDuckDb(options: DuckDbOptions): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(options.threads),
    memory_limit: options.memoryLimit,
    temp_directory: options.tempDirectory,
    // Dataset files only; no extension downloads on these machines.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
  });
  await withConnection(instance, (connection) => connection.run(IN_UTC));
  return instance;
}

/**
 * Time-zone-aware values (a Parquet TIMESTAMPTZ) become plain timestamps in UTC, whatever the
 * server's zone: DuckDB's default is the process's, which would make the same file store and
 * hash differently on another machine. A setting, not a config option: it needs ICU loaded.
 */
export const IN_UTC = "SET GLOBAL TimeZone = 'UTC'";

/** Runs `work` on a fresh connection, interrupting it when `signal` aborts. */
export async function withConnection<T>(
  instance: DuckDBInstance,
  work: (connection: DuckDBConnection) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const connection = await instance.connect();
  const onAbort = (): void => connection.interrupt();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    signal?.throwIfAborted();
    return await work(connection);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    connection.closeSync();
  }
}

/** Whether DuckDB failed for want of memory (no retry on the same file will do better). */
export function isOutOfMemory(error: unknown): boolean {
  return /out of memory/i.test((error as Error | undefined)?.message ?? '');
}

/** Runs a query and returns its rows as objects of DuckDB values. */
export async function queryRows(
  connection: DuckDBConnection,
  sql: string,
): Promise<Record<string, DuckDBValue>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjects();
}

/** The items of a DuckDB LIST value (none when the value is missing or not a list). */
export function listItems(value: DuckDBValue | undefined): DuckDBValue[] {
  return value && typeof value === 'object' && 'items' in value
    ? (value.items as DuckDBValue[])
    : [];
}

/** A number from a DuckDB value (BIGINT, HUGEINT, DOUBLE, DECIMAL); null when absent or not finite. */
export function num(value: DuckDBValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  const parsed = Number(String(value));
  return Number.isFinite(parsed) ? parsed : null;
}

/** A JSON-safe value: bigint → number when safe (else string), dates and others → their text. */
export function jsonValue(value: DuckDBValue | undefined): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  return String(value);
}
