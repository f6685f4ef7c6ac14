import type { DuckDBConnection } from '@duckdb/node-api';
import { DatasetError, DatasetErrorCode } from '../datasets.errors';
import { num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';
import type { StructureReport } from './structure-validator';

export const SEMANTIC_TYPES = [
  'integer',
  'float',
  'boolean',
  'date',
  'datetime',
  'categorical',
  'text',
  'identifier',
] as const;
export type SemanticType = (typeof SEMANTIC_TYPES)[number];
export type StorageType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'VARCHAR';

export interface ColumnSchema {
  name: string;
  /** The physical type of the column in the typed Parquet copy. */
  storageType: StorageType;
  /** What the values mean, for profiling and modelling. */
  semanticType: SemanticType;
}

export interface TypedCopy {
  columns: ColumnSchema[];
  rowCount: number;
}

/** Strings read as missing, as pandas' read_csv does by default (a subset). */
export const NULL_STRINGS = [
  '',
  'NA',
  'N/A',
  'n/a',
  'NaN',
  'nan',
  '-nan',
  'NULL',
  'null',
  'None',
  '#N/A',
  '<NA>',
];

const INT_RE = '^\\s*[+-]?[0-9]+\\s*$';
const FLOAT_RE = '^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$';
const DATE_RE = '^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$';
const DATETIME_RE =
  '^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?\\s*$';
const TRUE_WORDS = ['true', 'yes'];
const FALSE_WORDS = ['false', 'no'];
const ID_NAME = /(^id$|^id[_\s-]|[_\s-]id$|[a-z]Id$|^uuid$|[_\s-](key|uuid)$)/i;

/** The SQL that reads a source file as a relation (CSV fields all as text: we infer the types). */
export function sourceRelation(path: string, structure: StructureReport): string {
  const file = quoteLiteral(path);
  switch (structure.format) {
    case 'csv':
    case 'tsv':
      return `read_csv(${file}, delim=${quoteLiteral(structure.delimiter ?? ',')}, quote='"', escape='"', header=true,
        all_varchar=true, auto_detect=false, columns=${columnsStruct(structure.columns)},
        nullstr=[${NULL_STRINGS.map(quoteLiteral).join(',')}], encoding=${quoteLiteral(structure.encoding === 'latin-1' ? 'latin-1' : 'utf-8')})`;
    case 'jsonl':
      return `read_json(${file}, format='newline_delimited', records=true, sample_size=-1, maximum_object_size=67108864)`;
    case 'parquet':
      return `read_parquet(${file})`;
  }
}

function columnsStruct(columns: string[]): string {
  return `{${columns.map((name) => `${quoteLiteral(name)}: 'VARCHAR'`).join(', ')}}`;
}

function storageOf(duckType: string): StorageType | undefined {
  const type = duckType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|HUGEINT|UBIGINT)$/.test(type))
    return 'BIGINT';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL.*)$/.test(type)) return 'DOUBLE';
  if (type === 'BOOLEAN') return 'BOOLEAN';
  if (type === 'DATE') return 'DATE';
  if (type.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (type === 'VARCHAR') return 'VARCHAR';
  return undefined; // nested and exotic types become text
}

/**
 * Infers each column's types and writes the typed Parquet copy. Text columns are typed by full
 * scans with strict patterns (DuckDB's casts alone are too lenient: '1.0' casts to BIGINT,
 * '2020-01-01 10:00' to DATE): integer, float, boolean (true/false/yes/no), ISO date, ISO
 * datetime, else text, then split by cardinality into categorical / identifier / free text.
 */
export async function createTypedCopy(
  connection: DuckDBConnection,
  sourcePath: string,
  structure: StructureReport,
  parquetPath: string,
): Promise<TypedCopy> {
  const source = sourceRelation(sourcePath, structure);
  let described: { name: string; type: string }[];
  try {
    described = (await queryRows(connection, `DESCRIBE SELECT * FROM ${source}`)).map((row) => ({
      name: String(row.column_name),
      type: String(row.column_type),
    }));
  } catch (error) {
    throw new DatasetError(
      DatasetErrorCode.InvalidParquet,
      `The file could not be read: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const text = described.map((column) => column.type.toUpperCase() === 'VARCHAR');
  // 1. Candidate types from the first rows: every check, but on a small sample.
  const candidates = await sampleCandidates(connection, source, described, text);
  // 2. One full scan verifies each candidate with a single strict pattern (failing TRY_CASTs
  //    are slow in DuckDB, so casts only run on values that already match) and counts values.
  const stats: string[] = ['count(*) AS "n"'];
  described.forEach((column, i) => {
    const c = quoteIdent(column.name);
    stats.push(`count(${c}) AS "nn${i}"`, `approx_count_distinct(${c}) AS "d${i}"`);
    const candidate = candidates[i];
    if (!text[i]) return;
    if (candidate === 'BIGINT') {
      stats.push(
        `count_if(regexp_full_match(${c}, '${INT_RE}') AND TRY_CAST(${c} AS BIGINT) IS NOT NULL) AS "int${i}"`,
        `count_if(regexp_full_match(${c}, '${FLOAT_RE}')) AS "flt${i}"`,
      );
    } else if (candidate === 'DOUBLE') {
      stats.push(`count_if(regexp_full_match(${c}, '${FLOAT_RE}')) AS "flt${i}"`);
    } else if (candidate === 'BOOLEAN') {
      stats.push(`count_if(lower(trim(${c})) IN ('true','false','yes','no')) AS "bool${i}"`);
    } else if (candidate === 'DATE') {
      stats.push(
        `count_if(regexp_full_match(${c}, '${DATE_RE}') AND TRY_CAST(trim(${c}) AS DATE) IS NOT NULL) AS "date${i}"`,
        `count_if(regexp_full_match(${c}, '${DATETIME_RE}') AND TRY_CAST(trim(${c}) AS TIMESTAMP) IS NOT NULL) AS "ts${i}"`,
      );
    } else if (candidate === 'TIMESTAMP') {
      stats.push(
        `count_if(regexp_full_match(${c}, '${DATETIME_RE}') AND TRY_CAST(trim(${c}) AS TIMESTAMP) IS NOT NULL) AS "ts${i}"`,
      );
    }
    if (candidate === 'VARCHAR') {
      stats.push(`avg(length(${c})) AS "len${i}"`, `count_if(contains(${c}, ' ')) AS "sp${i}"`);
    }
  });
  const [row] = await queryRows(connection, `SELECT ${stats.join(', ')} FROM ${source}`);
  const rowCount = num(row.n) ?? 0;
  const columns: ColumnSchema[] = [];
  const selects: string[] = [];
  const lengths: string[] = [];
  described.forEach((column, i) => {
    const c = quoteIdent(column.name);
    const nonNull = num(row[`nn${i}`]) ?? 0;
    let storage = storageOf(column.type);
    let expression = storage ? `CAST(${c} AS ${storage})` : `CAST(${c} AS VARCHAR)`;
    if (storage === undefined) storage = 'VARCHAR';
    if (text[i] && nonNull > 0) {
      const all = (key: string): boolean => num(row[`${key}${i}`]) === nonNull;
      if (all('int')) {
        storage = 'BIGINT';
        expression = `CAST(trim(${c}) AS BIGINT)`;
      } else if (all('flt')) {
        storage = 'DOUBLE';
        expression = `CAST(trim(${c}) AS DOUBLE)`;
      } else if (all('bool')) {
        storage = 'BOOLEAN';
        const t = TRUE_WORDS.map(quoteLiteral).join(',');
        const f = FALSE_WORDS.map(quoteLiteral).join(',');
        expression = `CASE WHEN lower(trim(${c})) IN (${t}) THEN true WHEN lower(trim(${c})) IN (${f}) THEN false END`;
      } else if (all('date')) {
        storage = 'DATE';
        expression = `CAST(trim(${c}) AS DATE)`;
      } else if (all('ts')) {
        storage = 'TIMESTAMP';
        expression = `CAST(trim(${c}) AS TIMESTAMP)`;
      } else if (candidates[i] !== 'VARCHAR') {
        // The sample misled us: the column is text after all; measure it in a second pass.
        lengths.push(`avg(length(${c})) AS "len${i}"`, `count_if(contains(${c}, ' ')) AS "sp${i}"`);
      }
    }
    columns.push({ name: column.name, storageType: storage, semanticType: 'text' });
    selects.push(`${expression} AS ${c}`);
  });
  if (lengths.length > 0)
    Object.assign(
      row,
      (await queryRows(connection, `SELECT ${lengths.join(', ')} FROM ${source}`))[0],
    );
  columns.forEach((column, i) => {
    column.semanticType = semanticOf(column.name, column.storageType, {
      nonNull: num(row[`nn${i}`]) ?? 0,
      distinct: num(row[`d${i}`]) ?? 0,
      meanLength: num(row[`len${i}`]) ?? 0,
      withSpaces: num(row[`sp${i}`]) ?? 0,
    });
  });
  await connection.run(
    `COPY (SELECT ${selects.join(', ')} FROM ${source}) TO ${quoteLiteral(parquetPath)}
     (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`,
  );
  return { columns, rowCount };
}

const SAMPLE_ROWS = 10_000;

/** The narrowest type every sampled value of each text column fits (VARCHAR when none). */
async function sampleCandidates(
  connection: DuckDBConnection,
  source: string,
  described: { name: string; type: string }[],
  text: boolean[],
): Promise<StorageType[]> {
  const parts: string[] = ['count(*) AS "n"'];
  described.forEach((column, i) => {
    if (!text[i]) return;
    const c = quoteIdent(column.name);
    parts.push(
      `count(${c}) AS "nn${i}"`,
      `count_if(regexp_full_match(${c}, '${INT_RE}')) AS "int${i}"`,
      `count_if(regexp_full_match(${c}, '${FLOAT_RE}')) AS "flt${i}"`,
      `count_if(lower(trim(${c})) IN ('true','false','yes','no')) AS "bool${i}"`,
      `count_if(regexp_full_match(${c}, '${DATE_RE}')) AS "date${i}"`,
      `count_if(regexp_full_match(${c}, '${DATETIME_RE}')) AS "ts${i}"`,
    );
  });
  const [row] = await queryRows(
    connection,
    `SELECT ${parts.join(', ')} FROM (SELECT * FROM ${source} LIMIT ${SAMPLE_ROWS})`,
  );
  return described.map((column, i) => {
    if (!text[i]) return storageOf(column.type) ?? 'VARCHAR';
    const nonNull = num(row[`nn${i}`]) ?? 0;
    const all = (key: string): boolean => nonNull > 0 && num(row[`${key}${i}`]) === nonNull;
    if (all('int')) return 'BIGINT';
    if (all('flt')) return 'DOUBLE';
    if (all('bool')) return 'BOOLEAN';
    if (all('date')) return 'DATE';
    if (all('ts')) return 'TIMESTAMP';
    // All-missing sample: verify as integer (cheap); mixed text stays text.
    return nonNull === 0 ? 'BIGINT' : 'VARCHAR';
  });
}

interface Cardinality {
  nonNull: number;
  distinct: number;
  meanLength: number;
  withSpaces: number;
}

/**
 * Semantic type from storage type and cardinality (distinct counts are HyperLogLog estimates,
 * so "all distinct" means ≥ 97 %): text with ≤ 50 values, or ≤ 1,000 values covering ≤ 5 % of
 * the rows, is categorical; near-unique short text without spaces, or near-unique integers
 * whose name says id/key, are identifiers.
 */
export function semanticOf(name: string, storage: StorageType, c: Cardinality): SemanticType {
  const nearUnique = c.nonNull >= 20 && c.distinct >= 0.97 * c.nonNull;
  switch (storage) {
    case 'BIGINT':
      return nearUnique && ID_NAME.test(name) ? 'identifier' : 'integer';
    case 'DOUBLE':
      return 'float';
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
      return 'datetime';
    case 'VARCHAR':
      if (c.distinct <= 50 || (c.distinct <= 1000 && c.distinct <= 0.05 * c.nonNull))
        return 'categorical';
      if (nearUnique && c.withSpaces === 0 && c.meanLength <= 64) return 'identifier';
      return 'text';
  }
}

const HASH_BLOCK_ROWS = 65_536;
const HASH_BLOCKS_PER_QUERY = 16;

/**
 * Canonical content hash of a typed table, independent of the file format it came from:
 * sha256 over the line `[[name, storageType], …]` (JSON) followed, in row order, by the
 * sha256 of each block of 65,536 rows, where a block is its rows as JSON arrays
 * (DuckDB's `json_array` rendering of the typed values) joined by '\n'. Blocks are hashed
 * in parallel by DuckDB; the final digest is over their ordered hex digests.
 */
export async function contentHash(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
): Promise<string> {
  const { createHash } = await import('node:crypto');
  const values = columns.map((column) => quoteIdent(column.name)).join(', ');
  const file = quoteLiteral(parquetPath);
  const [{ n }] = await queryRows(connection, `SELECT count(*) AS n FROM read_parquet(${file})`);
  const total = num(n) ?? 0;
  const hash = createHash('sha256');
  hash.update(JSON.stringify(columns.map((column) => [column.name, column.storageType])));
  // Ordered string_agg keeps every block's text until the end: hash ~1M rows per query so
  // memory stays bounded on tables of any length.
  for (
    let start = 0;
    start < total || start === 0;
    start += HASH_BLOCKS_PER_QUERY * HASH_BLOCK_ROWS
  ) {
    const end = start + HASH_BLOCKS_PER_QUERY * HASH_BLOCK_ROWS;
    const range =
      total <= end && start === 0
        ? ''
        : `WHERE file_row_number >= ${start} AND file_row_number < ${end}`;
    const rows = await queryRows(
      connection,
      `SELECT block, sha256(string_agg(line, chr(10) ORDER BY file_row_number)) AS digest
       FROM (SELECT file_row_number // ${HASH_BLOCK_ROWS} AS block, file_row_number, json_array(${values})::VARCHAR AS line
             FROM read_parquet(${file}, file_row_number=true) ${range})
       GROUP BY block ORDER BY block`,
    );
    for (const row of rows) hash.update(`\n${String(row.digest)}`);
    if (total === 0) break;
  }
  return hash.digest('hex');
}
