import { rm } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DatasetError, DatasetErrorCode } from '../datasets.errors';
import { isOutOfMemory, num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';
import {
  type CalendarCandidate,
  calendarCast,
  calendarCounts,
  calendarDecision,
  calendarMatch,
  type CalendarStorage,
} from './calendar-dates';
import {
  DATE_RE,
  DATETIME_RE,
  type DateOrder,
  FLOAT_RE,
  INT_RE,
  FALSE_WORDS,
  NULL_STRINGS,
  TRUE_WORDS,
} from './lexical-types';
import {
  isReservedColumnName,
  reservedColumnError,
  type StructureReport,
} from './structure-validator';
import { workbookAsCsv } from './workbook';

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
export const STORAGE_TYPES = [
  'BIGINT',
  'DOUBLE',
  'BOOLEAN',
  'DATE',
  'TIMESTAMP',
  'VARCHAR',
] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

export interface ColumnSchema {
  name: string;
  /** The physical type of the column in the typed Parquet copy. */
  storageType: StorageType;
  /** What the values mean, for profiling and modelling. */
  semanticType: SemanticType;
}

/**
 * How the column types were decided: from the upload pass's lexical types, from the first rows
 * (confirmed by the copy itself), or by a full verification scan.
 */
export type TypingMethod = 'upload-pass' | 'sample' | 'full-scan';

export interface TypedCopy {
  /** Storage types are final; semantic types are provisional until the profile refines them. */
  columns: ColumnSchema[];
  typedBy: TypingMethod;
}

/**
 * The SQL that reads a source file as a relation. CSV fields come as text (we infer the types)
 * unless `types` gives each column's DuckDB type, for fields already checked to fit it.
 */
export function sourceRelation(
  path: string,
  structure: StructureReport,
  types?: readonly string[],
): string {
  const file = quoteLiteral(path);
  switch (structure.format) {
    case 'csv':
    case 'tsv': {
      const comma = (i: number): boolean => structure.decimalCommas?.[i] === true;
      const reader = `read_csv(${file}, delim=${quoteLiteral(structure.delimiter ?? ',')}, quote='"', escape='"', header=true,
        auto_detect=false, columns=${columnsStruct(
          structure.columns,
          types?.map((type, i) => (comma(i) ? 'VARCHAR' : type)),
        )},
        nullstr=[${missingMarkersOf(structure).map(quoteLiteral).join(',')}], encoding=${quoteLiteral(structure.encoding === 'latin-1' ? 'latin-1' : 'utf-8')},
        max_line_size=${maxLineSize(structure)})`;
      const commaColumns = structure.columns.filter((_, i) => comma(i));
      if (commaColumns.length === 0) return reader;
      // Decimal commas become the decimal points DuckDB and the typing patterns read: DOUBLE
      // when the caller gave types, else text for the typing paths to type (as floats).
      const pointed = commaColumns.map((name) => {
        const text = `replace(${quoteIdent(name)}, ',', '.')`;
        return `${types ? `CAST(trim(${text}, ' \t\n\f\r') AS DOUBLE)` : text} AS ${quoteIdent(name)}`;
      });
      return `(SELECT * REPLACE (${pointed.join(', ')}) FROM ${reader})`;
    }
    case 'jsonl':
      return jsonRelation(path);
    case 'parquet':
      return `read_parquet(${file})`;
    case 'xlsx':
      throw new Error('a workbook is read through its CSV conversion (workbook.ts)');
  }
}

/** The largest JSON Lines record DuckDB will read (its default is 16 MB). */
const MAX_JSON_OBJECT_BYTES = 67_108_864;

/**
 * A JSON Lines file as a relation: with `columns` (from one DESCRIBE) as given, else with the
 * schema inferred from every line. Without them every query reads the whole file once more to
 * infer it, and typing a 250 MB, 300-column file spent 15 of its 19 s inferring the same schema
 * four times.
 */
function jsonRelation(path: string, columns?: { name: string; type: string }[]): string {
  const schema = columns
    ? `columns={${columns.map(({ name, type }) => `${quoteLiteral(name)}: ${quoteLiteral(type)}`).join(', ')}}`
    : 'sample_size=-1';
  return `read_json(${quoteLiteral(path)}, format='newline_delimited', records=true, ${schema}, maximum_object_size=${MAX_JSON_OBJECT_BYTES})`;
}

/**
 * DuckDB's CSV reader refuses records over its line limit (2,000,000 bytes by default) and sizes
 * its buffers from it, so the limit is raised only as far as the file's longest record needs
 * (the upload pass measured it, and refuses records over MAX_RECORD_BYTES).
 */
function maxLineSize(structure: StructureReport): number {
  return Math.max(2_000_000, (structure.longestRecordBytes ?? 0) + 1024);
}

/**
 * The strings read as missing: the empty field alone when the upload pass saw no other marker
 * (the same result, and DuckDB's reader skips comparing every field with eleven more strings).
 */
function missingMarkersOf(structure: StructureReport): string[] {
  return structure.missingMarkers === false ? [''] : NULL_STRINGS;
}

function columnsStruct(columns: string[], types?: readonly string[]): string {
  const entries = columns.map((name, i) => `${quoteLiteral(name)}: '${types?.[i] ?? 'VARCHAR'}'`);
  return `{${entries.join(', ')}}`;
}

/** Lists, arrays, structs, maps and unions: stored as their JSON text. */
function isNested(duckType: string): boolean {
  return /^(STRUCT|MAP|UNION)\(|\[\d*\]$/.test(duckType.toUpperCase());
}

/** Integer types with values a BIGINT may not hold. */
function isWideInteger(duckType: string): boolean {
  return /^(UBIGINT|HUGEINT|UHUGEINT)$/.test(duckType.toUpperCase());
}

function storageOf(duckType: string): StorageType | undefined {
  const type = duckType.toUpperCase();
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|HUGEINT|UHUGEINT|UBIGINT)$/.test(
      type,
    )
  )
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
 * datetime, else text. Semantic types are provisional here: the profile's scan measures the
 * cardinalities that split text into categorical / identifier / free text (semantic-types.ts).
 *
 * An Excel workbook's first sheet is converted to CSV and takes the CSV path (workbook.ts).
 * CSV/TSV whose upload pass typed every field (`structure.lexicalTypes`) are read by DuckDB's
 * typed CSV reader directly. Otherwise they take one pass when the first rows tell the truth:
 * the COPY itself checks every value against its sampled type's pattern and fails on the first
 * disagreement, and only then do we pay for the separate verification scan (see
 * `copyTrustingSample`).
 */
export async function createTypedCopy(
  connection: DuckDBConnection,
  sourcePath: string,
  structure: StructureReport,
  parquetPath: string,
): Promise<TypedCopy> {
  if (structure.format === 'xlsx') {
    const converted = await workbookAsCsv(sourcePath);
    try {
      return await createTypedCopy(connection, converted.csvPath, converted.structure, parquetPath);
    } finally {
      await rm(converted.csvPath, { force: true });
    }
  }
  const known = await copyWithLexicalTypes(connection, sourcePath, structure, parquetPath);
  if (known) return known;
  let source = sourceRelation(sourcePath, structure);
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
  const reserved = described.find((column) => isReservedColumnName(column.name));
  if (reserved) throw reservedColumnError(reserved.name);
  if (structure.format === 'jsonl') source = jsonRelation(sourcePath, described);
  const text = described.map((column) => column.type.toUpperCase() === 'VARCHAR');
  // Candidate types from the first rows: every check, but on a small sample.
  const candidates = await sampleCandidates(connection, source, described, text);
  if (structure.format === 'csv' || structure.format === 'tsv') {
    const trusted = await copyTrustingSample(
      connection,
      source,
      described,
      candidates,
      parquetPath,
    );
    if (trusted) return trusted;
  }
  return verifiedCopy(connection, source, described, text, candidates, parquetPath);
}

/**
 * A floating-point value with NaN read as missing, as pandas reads it and as a CSV's "NaN"
 * already is (Parquet writers other than pandas' keep NaN apart from null). DuckDB holds NaN
 * equal to itself, so NULLIF finds it.
 */
function withoutNaN(expression: string): string {
  return `NULLIF(${expression}, 'NaN'::DOUBLE)`;
}

/** The COPY statement that writes the typed Parquet copy. */
function copyStatement(source: string, selects: string[], parquetPath: string): string {
  return `COPY (SELECT ${selects.join(', ')} FROM ${source}) TO ${quoteLiteral(parquetPath)}
     (${parquetWriteOptions(selects.length)})`;
}

/**
 * Runs a COPY that may fail on a value (the caller then takes a slower path): false when it
 * did. A cancelled job interrupts the connection, and running out of memory would only
 * happen again on the slower path: those errors go on.
 */
async function copySucceeds(connection: DuckDBConnection, statement: string): Promise<boolean> {
  try {
    await connection.run(statement);
    return true;
  } catch (error) {
    if (/interrupt/i.test((error as Error).message) || isOutOfMemory(error)) throw error;
    return false;
  }
}

/**
 * Rows per Parquet row group. A row page decodes the whole row group it falls in, column by
 * column: 65,536 rows read a 100-row page of the 1M-row bench table ~20 % faster than DuckDB's
 * 122,880 for a 2.6 % larger file; scans for the profile do not notice.
 */
export const PARQUET_ROW_GROUP_ROWS = 65_536;
/**
 * Cells (rows × columns) a row group holds at most: wide tables get fewer rows per group.
 * DuckDB's writer holds row groups whole while it encodes them and, short of memory, falls back
 * to a slow path: a 200,000-row, 300-column copy took 46 s with 65,536-row groups and 6.5 s
 * with 32,768 (768 MB), and a 100,000-row, 1,000-column one did not finish in 200 s with 65,536
 * rows and took 8 s with 8,192 (1.5 GB).
 */
export const PARQUET_ROW_GROUP_CELLS = 10_000_000;

/** Rows per row group for a table of `columnCount` columns: a power of two, 2,048 at least. */
export function rowGroupRows(columnCount: number): number {
  const fitting = PARQUET_ROW_GROUP_CELLS / Math.max(1, columnCount);
  return Math.max(2048, Math.min(PARQUET_ROW_GROUP_ROWS, 2 ** Math.floor(Math.log2(fitting))));
}

/**
 * How every stored Parquet copy of `columnCount` columns is written (typed copies and
 * transformation outputs). No bloom filters: reads go by row number or scan whole columns,
 * never probe for a value, and writing them cost ≈ 0.05 s per million rows. Format version 2
 * (delta and byte-stream-split encodings where dictionaries do not pay): writing the 1M-row
 * benchmark table takes 0.05–0.09 s less, the file is 3 % smaller and row pages decode faster.
 * Only this platform's DuckDB reads the copies, and copies written as version 1 before stay
 * readable.
 */
export function parquetWriteOptions(columnCount: number): string {
  return `FORMAT parquet, PARQUET_VERSION V2, COMPRESSION snappy, ROW_GROUP_SIZE ${rowGroupRows(columnCount)}, WRITE_BLOOM_FILTER false`;
}

/** The WHEN branches that map the boolean words of text column `c` to true and false. */
function booleanBranches(c: string): string {
  const t = TRUE_WORDS.map(quoteLiteral).join(',');
  const f = FALSE_WORDS.map(quoteLiteral).join(',');
  return `WHEN lower(trim(${c})) IN (${t}) THEN true WHEN lower(trim(${c})) IN (${f}) THEN false`;
}

/** The typed value of a text column whose every non-missing value matched `storage`. */
function castExpression(c: string, storage: StorageType): string {
  switch (storage) {
    case 'BOOLEAN':
      return `CASE ${booleanBranches(c)} END`;
    case 'VARCHAR':
      return c;
    case 'BIGINT':
    case 'DOUBLE':
    case 'DATE':
      return `CAST(trim(${c}) AS ${storage})`;
    case 'TIMESTAMP':
      return inUtc(`trim(${c})`);
  }
}

/**
 * A datetime text as a UTC timestamp: parsed as TIMESTAMPTZ, which applies a written offset (a
 * plain TIMESTAMP cast drops it) and reads one without an offset as UTC (DuckDB runs in UTC).
 */
function inUtc(text: string): string {
  return `CAST(CAST(${text} AS TIMESTAMPTZ) AS TIMESTAMP)`;
}

/**
 * What the first rows suggest for a text column: a storage type, calendar dates in a known order
 * (31/12/2024), or calendar dates whose sample did not tell the order (every day and month was
 * 12 or less), which only a scan of every row can settle.
 */
type Candidate = StorageType | CalendarCandidate | 'undecided-date';

const isCalendarCandidate = (candidate: Candidate): candidate is CalendarCandidate =>
  candidate.endsWith(' DATE') || candidate.endsWith(' TIMESTAMP');

/** The parts of a calendar candidate: its order and its storage type. */
function calendarParts(candidate: CalendarCandidate): [DateOrder, CalendarStorage] {
  const [order, storage] = candidate.split(' ');
  return [order as DateOrder, storage as CalendarStorage];
}

/** The storage type of a candidate that every value turned out to fit. */
function storageOfCandidate(candidate: Candidate): StorageType {
  if (candidate === 'undecided-date') return 'VARCHAR';
  return isCalendarCandidate(candidate) ? calendarParts(candidate)[1] : candidate;
}

/** True for the values the verification scan accepts as `storage` (NULL for missing ones). */
function strictMatch(c: string, storage: StorageType): string {
  switch (storage) {
    case 'BIGINT':
      return `regexp_full_match(${c}, '${INT_RE}') AND TRY_CAST(${c} AS BIGINT) IS NOT NULL`;
    case 'DOUBLE':
      return `regexp_full_match(${c}, '${FLOAT_RE}')`;
    case 'BOOLEAN':
      return `lower(trim(${c})) IN ('true','false','yes','no')`;
    case 'DATE':
      return `regexp_full_match(${c}, '${DATE_RE}') AND TRY_CAST(trim(${c}) AS DATE) IS NOT NULL`;
    case 'TIMESTAMP':
      return `regexp_full_match(${c}, '${DATETIME_RE}') AND TRY_CAST(trim(${c}) AS TIMESTAMPTZ) IS NOT NULL`;
    case 'VARCHAR':
      return 'true';
  }
}

/**
 * The WHEN branches of the one-pass cast: a value that matches the pattern is cast once (no
 * TRY_CAST first, no trim: DuckDB's casts skip surrounding spaces); a cast that fails (an
 * overflowing integer, 2021-02-30) fails the COPY, which then takes the verifying path.
 */
function trustedCast(c: string, storage: Exclude<Candidate, 'VARCHAR' | 'undecided-date'>): string {
  if (isCalendarCandidate(storage)) {
    const [order, type] = calendarParts(storage);
    return `WHEN ${calendarMatch(c, order, type, false)} THEN ${calendarCast(c, order, type)}`;
  }
  switch (storage) {
    case 'BIGINT':
      return `WHEN regexp_full_match(${c}, '${INT_RE}') THEN CAST(${c} AS BIGINT)`;
    case 'DOUBLE':
      return `WHEN regexp_full_match(${c}, '${FLOAT_RE}') THEN CAST(${c} AS DOUBLE)`;
    case 'DATE':
      return `WHEN regexp_full_match(${c}, '${DATE_RE}') THEN CAST(${c} AS DATE)`;
    case 'TIMESTAMP':
      return `WHEN regexp_full_match(${c}, '${DATETIME_RE}') THEN ${inUtc(c)}`;
    case 'BOOLEAN':
      return booleanBranches(c);
  }
}

const SAMPLE_DISAGREES = 'nml: a value disagrees with the sampled type';

/**
 * One pass over a CSV: the COPY casts each column to its sampled candidate type and raises an
 * error on the first value that fails the candidate's strict pattern. When it goes through,
 * every non-missing value matched, which is exactly what the verification scan would have
 * concluded, so the types are the same. Undefined when the sample misled us (or the copy
 * failed for any other reason): the caller then runs the verifying path, which reports real
 * errors.
 */
async function copyTrustingSample(
  connection: DuckDBConnection,
  source: string,
  described: { name: string; type: string }[],
  candidates: Candidate[],
  parquetPath: string,
): Promise<TypedCopy | undefined> {
  if (candidates.includes('undecided-date')) return undefined;
  const selects = described.map((column, i) => {
    const c = quoteIdent(column.name);
    const storage = candidates[i];
    if (storage === 'VARCHAR' || storage === 'undecided-date') return `${c} AS ${c}`;
    return `CASE WHEN ${c} IS NULL THEN NULL ${trustedCast(c, storage)}
      ELSE error(${quoteLiteral(`${SAMPLE_DISAGREES}: `)} || ${c}) END AS ${c}`;
  });
  if (!(await copySucceeds(connection, copyStatement(source, selects, parquetPath))))
    return undefined;
  // A column missing in every row stays text (the verifying path decides so); rare, let it redo.
  const empty = await emptyColumns(connection, parquetPath);
  if (candidates.some((type, i) => type !== 'VARCHAR' && empty.has(i))) return undefined;
  return {
    columns: provisionalColumns(described, candidates.map(storageOfCandidate)),
    typedBy: 'sample',
  };
}

/**
 * The typed copy of a delimited file whose every field the upload pass matched against the
 * typing patterns: DuckDB's typed reader parses exactly those values as we would cast them.
 * Undefined when there are no lexical types or DuckDB refuses a value the patterns admit (an
 * integer beyond 64 bits, 2021-02-30): the sampled path then decides.
 */
async function copyWithLexicalTypes(
  connection: DuckDBConnection,
  sourcePath: string,
  structure: StructureReport,
  parquetPath: string,
): Promise<TypedCopy | undefined> {
  const types = structure.lexicalTypes;
  if (
    (structure.format !== 'csv' && structure.format !== 'tsv') ||
    types?.length !== structure.columns.length
  )
    return undefined;
  // DuckDB's BOOLEAN reader takes true/false/yes/no in any letter case but refuses padded words
  // (' no '), which the patterns admit: read columns with padding as text and map the words in
  // SQL (0.1–0.2 s per million values slower). Datetimes with UTC offsets come as TIMESTAMPTZ
  // (see inUtc; 0.2 s per million values slower than TIMESTAMP, which would drop the offsets).
  // Calendar dates (31/12/2024) are read as text and parsed in the order the upload pass found.
  const zoned = (i: number): boolean => structure.utcOffsets?.[i] === true;
  const padded = (i: number): boolean =>
    types[i] === 'BOOLEAN' && structure.bareBooleans?.[i] !== true;
  const order = (i: number): DateOrder | undefined => structure.dateOrders?.[i] ?? undefined;
  const readAs = types.map((type, i) =>
    padded(i) || order(i) ? 'VARCHAR' : type === 'TIMESTAMP' && zoned(i) ? 'TIMESTAMPTZ' : type,
  );
  const selects = structure.columns.map((name, i) => {
    const c = quoteIdent(name);
    if (padded(i)) return `${castExpression(c, 'BOOLEAN')} AS ${c}`;
    const dateOrder = order(i);
    if (dateOrder) return `${calendarCast(c, dateOrder, types[i] as CalendarStorage)} AS ${c}`;
    return readAs[i] === 'TIMESTAMPTZ' ? `CAST(${c} AS TIMESTAMP) AS ${c}` : c;
  });
  const source = sourceRelation(sourcePath, structure, readAs);
  if (!(await copySucceeds(connection, copyStatement(source, selects, parquetPath))))
    return undefined;
  const names = structure.columns.map((name) => ({ name }));
  return { columns: provisionalColumns(names, types), typedBy: 'upload-pass' };
}

/** Indexes of the columns with no value in any row, from the Parquet footer's statistics. */
async function emptyColumns(
  connection: DuckDBConnection,
  parquetPath: string,
): Promise<Set<number>> {
  const rows = await queryRows(
    connection,
    `SELECT column_id AS id FROM parquet_metadata(${quoteLiteral(parquetPath)})
     GROUP BY column_id HAVING sum(stats_null_count) = sum(num_values)`,
  );
  return new Set(rows.map((row) => num(row.id) ?? -1));
}

/** Columns with their storage types and the semantic type each storage type suggests. */
function provisionalColumns(
  columns: { name: string }[],
  types: readonly StorageType[],
): ColumnSchema[] {
  return columns.map(({ name }, i) => ({
    name,
    storageType: types[i],
    semanticType: provisionalSemantic(types[i]),
  }));
}

/**
 * The general path: one full scan verifies each candidate with a single strict pattern
 * (failing TRY_CASTs are slow in DuckDB, so casts only run on values that already match) and
 * counts values, then the typed COPY reads the source again.
 */
async function verifiedCopy(
  connection: DuckDBConnection,
  source: string,
  described: { name: string; type: string }[],
  text: boolean[],
  candidates: Candidate[],
  parquetPath: string,
): Promise<TypedCopy> {
  const stats: string[] = ['count(*) AS "n"'];
  described.forEach((column, i) => {
    const c = quoteIdent(column.name);
    stats.push(`count(${c}) AS "nn${i}"`);
    if (isWideInteger(column.type))
      stats.push(`count_if(TRY_CAST(${c} AS BIGINT) IS NULL AND ${c} IS NOT NULL) AS "wide${i}"`);
    const candidate = candidates[i];
    if (!text[i]) return;
    if (candidate === 'BIGINT') {
      stats.push(
        `count_if(${strictMatch(c, 'BIGINT')}) AS "int${i}"`,
        `count_if(${strictMatch(c, 'DOUBLE')}) AS "flt${i}"`,
      );
    } else if (candidate === 'DOUBLE') {
      stats.push(`count_if(${strictMatch(c, 'DOUBLE')}) AS "flt${i}"`);
    } else if (candidate === 'BOOLEAN') {
      stats.push(`count_if(${strictMatch(c, 'BOOLEAN')}) AS "bool${i}"`);
    } else if (candidate === 'DATE') {
      stats.push(
        `count_if(${strictMatch(c, 'DATE')}) AS "date${i}"`,
        `count_if(${strictMatch(c, 'TIMESTAMP')}) AS "ts${i}"`,
      );
    } else if (candidate === 'TIMESTAMP') {
      stats.push(`count_if(${strictMatch(c, 'TIMESTAMP')}) AS "ts${i}"`);
    } else if (candidate === 'undecided-date' || isCalendarCandidate(candidate)) {
      stats.push(...calendarCounts(c, i, true));
    }
  });
  const [row] = await queryRows(connection, `SELECT ${stats.join(', ')} FROM ${source}`);
  const types: StorageType[] = [];
  const selects: string[] = [];
  described.forEach((column, i) => {
    const c = quoteIdent(column.name);
    const nonNull = num(row[`nn${i}`]) ?? 0;
    let { storage, expression } = storedAsIs(c, column.type, (num(row[`wide${i}`]) ?? 0) > 0);
    if (text[i] && nonNull > 0) {
      const all = (key: string): boolean => num(row[`${key}${i}`]) === nonNull;
      const verified = all('int')
        ? 'BIGINT'
        : all('flt')
          ? 'DOUBLE'
          : all('bool')
            ? 'BOOLEAN'
            : all('date')
              ? 'DATE'
              : all('ts')
                ? 'TIMESTAMP'
                : undefined;
      // Calendar dates need one order for every value; values that fit both leave it open.
      const calendar = calendarDecision(all);
      if (verified) {
        storage = verified;
        expression = castExpression(c, verified);
      } else if (calendar && calendar !== 'undecided') {
        storage = calendar.storage;
        expression = calendarCast(c, calendar.order, calendar.storage);
      }
    }
    types.push(storage);
    selects.push(`${expression} AS ${c}`);
  });
  await connection.run(copyStatement(source, selects, parquetPath));
  return { columns: provisionalColumns(described, types), typedBy: 'full-scan' };
}

/**
 * How a column keeps the type its source gave it: the nearest storage type, with NaN as missing
 * (withoutNaN), nested values as JSON text, and integers beyond BIGINT (64-bit hashes or ids,
 * mostly) as their exact digits rather than rounded floats that would merge distinct ids.
 */
function storedAsIs(
  c: string,
  duckType: string,
  beyondBigint: boolean,
): { storage: StorageType; expression: string } {
  const storage = beyondBigint ? 'VARCHAR' : storageOf(duckType);
  if (storage === 'DOUBLE') return { storage, expression: withoutNaN(`CAST(${c} AS DOUBLE)`) };
  if (storage) return { storage, expression: `CAST(${c} AS ${storage})` };
  const json = isNested(duckType);
  return { storage: 'VARCHAR', expression: `CAST(${json ? `to_json(${c})` : c} AS VARCHAR)` };
}

const SAMPLE_ROWS = 10_000;

/** The narrowest type every sampled value of each text column fits (VARCHAR when none). */
async function sampleCandidates(
  connection: DuckDBConnection,
  source: string,
  described: { name: string; type: string }[],
  text: boolean[],
): Promise<Candidate[]> {
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
      ...calendarCounts(c, i, false),
    );
  });
  const [row] = await queryRows(
    connection,
    `SELECT ${parts.join(', ')} FROM (SELECT * FROM ${source} LIMIT ${SAMPLE_ROWS})`,
  );
  return described.map((column, i): Candidate => {
    if (!text[i]) return storageOf(column.type) ?? 'VARCHAR';
    const nonNull = num(row[`nn${i}`]) ?? 0;
    const all = (key: string): boolean => nonNull > 0 && num(row[`${key}${i}`]) === nonNull;
    if (all('int')) return 'BIGINT';
    if (all('flt')) return 'DOUBLE';
    if (all('bool')) return 'BOOLEAN';
    if (all('date')) return 'DATE';
    if (all('ts')) return 'TIMESTAMP';
    const calendar = calendarDecision(all);
    if (calendar === 'undecided') return 'undecided-date';
    if (calendar) return `${calendar.order} ${calendar.storage}`;
    // All-missing sample: verify as integer (cheap); mixed text stays text.
    return nonNull === 0 ? 'BIGINT' : 'VARCHAR';
  });
}

/** The semantic type a storage type suggests before cardinalities are known. */
export function provisionalSemantic(storage: StorageType): SemanticType {
  switch (storage) {
    case 'BIGINT':
      return 'integer';
    case 'DOUBLE':
      return 'float';
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
      return 'datetime';
    case 'VARCHAR':
      return 'text';
  }
}
