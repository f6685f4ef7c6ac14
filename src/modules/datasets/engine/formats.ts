/** File formats the datasets domain accepts. */
export const DATASET_FORMATS = ['csv', 'tsv', 'jsonl', 'parquet', 'xlsx'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'latin-1';

const EXTENSIONS: Record<string, DatasetFormat> = {
  csv: 'csv',
  txt: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
  pq: 'parquet',
  xlsx: 'xlsx',
};

/** Whether a file's name says it is gzip-compressed (`sales.csv.gz`). */
export function isGzipName(fileName: string): boolean {
  return /\.gz$/i.test(fileName.trim());
}

/**
 * The format named by a file's extension (the one before `.gz` for a compressed file), or
 * undefined when the extension is unknown.
 */
export function formatFromFileName(fileName: string): DatasetFormat | undefined {
  const match = /\.([a-z0-9]+)(\.gz)?$/i.exec(fileName.trim());
  return match ? EXTENSIONS[match[1].toLowerCase()] : undefined;
}

export function isDatasetFormat(value: string): value is DatasetFormat {
  return (DATASET_FORMATS as readonly string[]).includes(value);
}

/** A SQL identifier for DuckDB: double quotes, inner quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal for DuckDB. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
