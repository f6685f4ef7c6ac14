import type { DuckDBConnection } from '@duckdb/node-api';
import { jsonValue, num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';
import { detectPii, maskValue, type PiiKind } from './pii';
import { profileStory } from './profile-story';
import { HISTOGRAM_BINS, isNumeric, pct, queriesPerColumn, scanColumns } from './profile-scan';
import { alertsFor } from './profile-alerts';
import { spearmanMatrix } from './rank-correlation';
import { undecidedDateColumns } from './undecided-dates';
import { type SpellingVariants, spellingVariants } from './spelling-variants';
import { queryTimeHistograms, type TimeColumn, type TimeHistogram } from './time-histograms';
import { mayBeIdentifier, semanticOf } from './semantic-types';
import { topCategoryCounts } from './top-categories';
import type { ColumnSchema, SemanticType, StorageType } from './typed-copy';

/**
 * Up to this many rows distinct counts are exact; above, DuckDB's HyperLogLog estimates, whose
 * error measured 8–25 % on the benchmark tables (so "all values unique" is only said when exact).
 * Exact counting costs ≈ 4 % of the processing at 1M rows and 7 % at 10M, where its hash
 * tables take the profile's peak memory to ≈ 950 MB (docs/datasets.md).
 */
export const EXACT_DISTINCT_MAX_ROWS = 10_000_000;
/**
 * Quantiles are exact at any size in tables that take per-column queries (queriesPerColumn:
 * 100,000 rows or more, 200 columns or fewer), found by selection in bounded memory
 * (quantile-selection.ts). Other tables compute them in the scan, where exact ones hold every
 * value (8 bytes each): there, past this many rows × numeric columns, T-Digest estimates, which
 * differ in the fourth digit between runs.
 */
export const EXACT_QUANTILE_MAX_VALUES = 20_000_000;
/** Spearman correlations use every row up to this many, else a seeded reservoir sample. */
export const SPEARMAN_MAX_ROWS = 10_000;
const SAMPLE_ROWS = 1000;
const SAMPLE_VALUES = 5;
const MAX_CORRELATION_COLUMNS = 30;
const MAX_CRAMERS_COLUMNS = 15;
const MAX_CRAMERS_CATEGORIES = 100;

export type Scalar = string | number | boolean | null;

export interface HistogramBin {
  start: number;
  end: number;
  count: number;
}

export interface CategoryCount {
  value: string;
  count: number;
  share: number;
}

export interface ColumnProfile {
  name: string;
  storageType: StorageType;
  semanticType: SemanticType;
  /** Non-missing values. */
  count: number;
  missing: number;
  missingPct: number;
  distinct: number;
  distinctExact: boolean;
  distinctPct: number;
  min?: Scalar;
  max?: Scalar;
  mean?: number | null;
  std?: number | null;
  quantiles?: {
    p5: number | null;
    p25: number | null;
    p50: number | null;
    p75: number | null;
    p95: number | null;
  };
  /** False when the quantiles are T-Digest estimates (see EXACT_QUANTILE_MAX_VALUES). */
  quantilesExact?: boolean;
  skewness?: number | null;
  zeros?: number;
  zerosPct?: number;
  negatives?: number;
  negativesPct?: number;
  /**
   * Float columns: values that are ±infinity. They count as present, distinct and (-∞) negative
   * values; min, max, mean, std, skewness, quantiles, zeros and the histogram are over the
   * finite values.
   */
  infinite?: number;
  infinitePct?: number;
  histogram?: HistogramBin[];
  /** Dates and timestamps: counts per calendar bucket (UTC), from the first to the last. */
  timeHistogram?: TimeHistogram;
  topCategories?: { items: CategoryCount[]; otherCount: number };
  stringLength?: { min: number | null; max: number | null; mean: number | null };
  /** Categorical text: categories written more than one way (case, surrounding spaces). */
  spellingVariants?: SpellingVariants;
  /**
   * Text whose every value is a calendar date that reads both day first and month first
   * (01/02/2024): left text, since no value tells the order (ADR 13).
   */
  undecidedDates?: true;
  samples: Scalar[];
  /** Set when the column looks like personal data; samples and categories are then masked. */
  pii?: { kind: PiiKind; share: number; sampled: number };
}

export interface CorrelationMatrix {
  columns: string[];
  /** values[i][j]; null when undefined (constant column, too few pairs). */
  values: (number | null)[][];
}

export type AlertType =
  | 'constant'
  | 'high-cardinality'
  | 'high-correlation'
  | 'imbalance'
  | 'missing'
  | 'skewed'
  | 'zeros'
  | 'infinite'
  | 'unique'
  | 'duplicates'
  | 'identifier'
  | 'personal-data'
  | 'inconsistent-spelling'
  | 'constant-length'
  | 'undecided-dates';

export interface ProfileAlert {
  type: AlertType;
  severity: 'info' | 'warning' | 'error';
  columns: string[];
  message: string;
  value?: number;
}

export interface DatasetProfile {
  rowCount: number;
  columnCount: number;
  missingCells: number;
  missingCellsPct: number;
  duplicateRows: number;
  duplicateRowsPct: number;
  columns: ColumnProfile[];
  correlations: {
    pearson: CorrelationMatrix;
    spearman: CorrelationMatrix & { rowsUsed: number };
    cramersV: CorrelationMatrix;
  };
  alerts: ProfileAlert[];
  /** The profile in a few plain sentences (profile-story.ts). */
  story: string[];
  settings: {
    exactDistinctMaxRows: number;
    exactQuantileMaxValues: number;
    spearmanMaxRows: number;
    histogramBins: number;
  };
}

export type ProgressReporter = (fraction: number, stage: string) => void | Promise<void>;

const isCategoryLike = (c: ColumnSchema): boolean =>
  c.semanticType === 'categorical' || c.semanticType === 'boolean' || c.semanticType === 'text';

/**
 * Profiles a typed Parquet copy with DuckDB: one aggregate scan for per-column statistics,
 * histograms, Pearson correlations and duplicate rows (see profile-scan.ts), grouped scans for
 * top categories, a grouping-sets scan for Cramér's V contingency tables, and the rest in
 * TypeScript (Spearman on ranks, alerts, PII).
 * Statistics follow pandas' conventions: sample standard deviation (ddof 1), adjusted
 * Fisher–Pearson skewness (G1), linearly interpolated quantiles, pairwise-complete correlations.
 */
export async function profileParquet(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
  progress: ProgressReporter = () => undefined,
): Promise<DatasetProfile> {
  return (await profileTable(connection, parquetPath, columns, progress)).profile;
}

export interface ProfiledTable {
  profile: DatasetProfile;
  /** The columns with their semantic types (refined when asked to infer them). */
  columns: ColumnSchema[];
  contentHash: string;
}

/**
 * {@link profileParquet}, plus the table's content hash (from the same scan) and, with
 * `inferSemanticTypes`, semantic types decided from the scan's cardinalities instead of the
 * ones given (a fresh upload's are provisional; a pipeline's output's are known).
 */
export async function profileTable(
  connection: DuckDBConnection,
  parquetPath: string,
  given: ColumnSchema[],
  progress: ProgressReporter = () => undefined,
  { inferSemanticTypes = false } = {},
): Promise<ProfiledTable> {
  const table = `read_parquet(${quoteLiteral(parquetPath)})`;
  await connection.run(`CREATE OR REPLACE TEMP VIEW profiled AS SELECT * FROM ${table}`);
  const [{ n }] = await queryRows(connection, 'SELECT count(*) AS n FROM profiled');
  const rowCount = num(n) ?? 0;
  const exact = {
    distinct: rowCount <= EXACT_DISTINCT_MAX_ROWS,
    quantiles:
      queriesPerColumn(rowCount, given.length) ||
      rowCount * given.filter(isNumeric).length <= EXACT_QUANTILE_MAX_VALUES,
  };

  // Integer id/key columns may turn out to be identifiers, which correlations leave out: when
  // inferring, they take part in the scan's pairwise sums and leave the matrix afterwards.
  const candidates = given.filter(
    (c) =>
      isNumeric(c) &&
      c.semanticType !== 'identifier' &&
      !(inferSemanticTypes && mayBeIdentifier(c.name, c.storageType)),
  );
  const maybe = inferSemanticTypes
    ? given.filter((c) => mayBeIdentifier(c.name, c.storageType))
    : [];
  await progress(0.05, 'column statistics');
  const scan = await scanColumns(
    connection,
    parquetPath,
    given,
    [...candidates.slice(0, MAX_CORRELATION_COLUMNS), ...maybe],
    rowCount,
    exact,
  );
  const { profiles, duplicateRows } = scan;
  const columns = inferSemanticTypes
    ? given.map((column, i) => {
        const p = profiles[i];
        const semanticType = semanticOf(column.name, column.storageType, {
          nonNull: p.count,
          distinct: p.distinct,
          meanLength: p.stringLength?.mean ?? 0,
          withSpaces: scan.withSpaces[i],
        });
        p.semanticType = semanticType;
        return { ...column, semanticType };
      })
    : given;
  const numeric = columns
    .filter((c) => isNumeric(c) && c.semanticType !== 'identifier')
    .slice(0, MAX_CORRELATION_COLUMNS);
  const pearson = restrictMatrix(
    scan.pearson,
    numeric.map((c) => c.name),
  );
  await progress(0.45, 'time lines');
  await timeHistograms(connection, parquetPath, columns, profiles);
  await progress(0.5, 'categories');
  await topCategories(connection, columns, profiles, rowCount);
  await progress(0.55, 'samples');
  await samplesAndPii(connection, columns, profiles);
  await spellings(connection, parquetPath, columns, profiles);
  await undecidedDates(connection, parquetPath, columns, profiles);
  await progress(0.8, 'rank correlations');
  const spearman = await spearmanCorrelations(connection, numeric, rowCount);
  await progress(0.9, 'associations');
  const cramersV = await cramersMatrix(connection, columns, profiles);
  const missingCells = profiles.reduce((sum, p) => sum + p.missing, 0);
  const profile: DatasetProfile = {
    rowCount,
    columnCount: columns.length,
    missingCells,
    missingCellsPct: pct(missingCells, rowCount * columns.length),
    duplicateRows,
    duplicateRowsPct: pct(duplicateRows, rowCount),
    columns: profiles,
    correlations: { pearson, spearman, cramersV },
    alerts: [],
    story: [],
    settings: {
      exactDistinctMaxRows: EXACT_DISTINCT_MAX_ROWS,
      exactQuantileMaxValues: EXACT_QUANTILE_MAX_VALUES,
      spearmanMaxRows: SPEARMAN_MAX_ROWS,
      histogramBins: HISTOGRAM_BINS,
    },
  };
  profile.alerts = alertsFor(profile);
  profile.story = profileStory(profile);
  await progress(1, 'done');
  return { profile, columns, contentHash: scan.contentHash };
}

/** The sub-matrix of `matrix` for `names` (a subset of its columns, in its order). */
function restrictMatrix(matrix: CorrelationMatrix, names: string[]): CorrelationMatrix {
  const keep = names.map((name) => matrix.columns.indexOf(name));
  const values = keep.map((a, x) => keep.map((b, y) => (x === y ? 1 : matrix.values[a][b])));
  // A column correlated with nothing has no defined correlation with itself either.
  for (let x = 0; x < keep.length; x += 1)
    if (values[x].every((v, y) => y === x || v === null)) values[x][x] = null;
  return { columns: names, values };
}

async function timeHistograms(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
  profiles: ColumnProfile[],
): Promise<void> {
  const timed = columns.flatMap((column, index): TimeColumn[] => {
    const { min, max, distinct } = profiles[index];
    const temporal = column.storageType === 'DATE' || column.storageType === 'TIMESTAMP';
    if (!temporal || typeof min !== 'string' || typeof max !== 'string') return [];
    const datesOnly = column.storageType === 'DATE';
    return [{ index, name: column.name, datesOnly, min, max, distinct }];
  });
  for (const [i, histogram] of await queryTimeHistograms(connection, parquetPath, timed))
    profiles[i].timeHistogram = histogram;
}

async function topCategories(
  connection: DuckDBConnection,
  columns: ColumnSchema[],
  profiles: ColumnProfile[],
  rowCount: number,
): Promise<void> {
  const indices = [...columns.keys()].filter((i) => isCategoryLike(columns[i]));
  const names = columns.map((c) => c.name);
  const counted = await topCategoryCounts(connection, 'profiled', names, indices, rowCount);
  for (const [i, counts] of counted) {
    const p = profiles[i];
    const items = counts.map(({ value, count }) => ({
      value,
      count,
      share: pct(count, p.count) / 100,
    }));
    const listed = items.reduce((sum, item) => sum + item.count, 0);
    p.topCategories = { items, otherCount: p.count - listed };
  }
}

async function samplesAndPii(
  connection: DuckDBConnection,
  columns: ColumnSchema[],
  profiles: ColumnProfile[],
): Promise<void> {
  const reader = await connection.runAndReadAll(`SELECT * FROM profiled LIMIT ${SAMPLE_ROWS}`);
  const rows = reader.getRows();
  columns.forEach((column, i) => {
    const values: Scalar[] = [];
    const texts: string[] = [];
    for (const row of rows) {
      const value = jsonValue(row[i]);
      if (value === null) continue;
      if (values.length < SAMPLE_VALUES) values.push(value);
      if (column.storageType === 'VARCHAR' || column.storageType === 'BIGINT')
        texts.push(String(value));
    }
    const p = profiles[i];
    p.samples = values;
    const pii =
      column.storageType === 'VARCHAR' || column.storageType === 'BIGINT'
        ? detectPii(texts)
        : undefined;
    if (!pii) return;
    p.pii = pii;
    p.samples = values.map((v) => maskValue(String(v)));
    if (p.topCategories)
      p.topCategories.items = p.topCategories.items.map((item) => ({
        ...item,
        value: maskValue(item.value),
      }));
    if (typeof p.min === 'string' || typeof p.min === 'number') p.min = maskValue(String(p.min));
    if (typeof p.max === 'string' || typeof p.max === 'number') p.max = maskValue(String(p.max));
  });
}

async function undecidedDates(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
  profiles: ColumnProfile[],
): Promise<void> {
  const text = columns.flatMap((column, index) =>
    column.storageType === 'VARCHAR'
      ? [{ index, name: column.name, samples: profiles[index].samples }]
      : [],
  );
  for (const i of await undecidedDateColumns(connection, parquetPath, text))
    profiles[i].undecidedDates = true;
}

async function spellings(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
  profiles: ColumnProfile[],
): Promise<void> {
  const categorical = columns.flatMap((column, index) =>
    column.semanticType === 'categorical' && column.storageType === 'VARCHAR'
      ? [{ index, name: column.name, distinct: profiles[index].distinct }]
      : [],
  );
  for (const [i, variants] of await spellingVariants(connection, parquetPath, categorical)) {
    const masked = profiles[i].pii !== undefined;
    profiles[i].spellingVariants = masked
      ? { ...variants, examples: variants.examples.map((group) => group.map(maskValue)) }
      : variants;
  }
}

/** Spearman's rho on pairwise-complete rows, as pandas' corr(method='spearman'). */
async function spearmanCorrelations(
  connection: DuckDBConnection,
  numeric: ColumnSchema[],
  rowCount: number,
): Promise<CorrelationMatrix & { rowsUsed: number }> {
  const names = numeric.map((c) => c.name);
  if (numeric.length === 0) return { columns: names, values: [], rowsUsed: 0 };
  const select = names.map((name) => `CAST(${quoteIdent(name)} AS DOUBLE)`).join(', ');
  const sample =
    rowCount > SPEARMAN_MAX_ROWS
      ? ` USING SAMPLE reservoir(${SPEARMAN_MAX_ROWS} ROWS) REPEATABLE (42)`
      : '';
  const reader = await connection.runAndReadAll(`SELECT ${select} FROM profiled${sample}`);
  // An empty result has no column vectors at all.
  const read = reader.getColumns();
  const columns = names.map((_, i) => Float64Array.from(read[i] ?? [], (v) => num(v) ?? NaN));
  return { columns: names, values: spearmanMatrix(columns), rowsUsed: reader.currentRowCount };
}

/**
 * Cramér's V (without bias correction) between categorical columns with 2–100 categories:
 * V = sqrt(χ² / (n · (min(r, c) − 1))) over rows where both are present. All contingency
 * tables come from one GROUPING SETS scan.
 */
async function cramersMatrix(
  connection: DuckDBConnection,
  columns: ColumnSchema[],
  profiles: ColumnProfile[],
): Promise<CorrelationMatrix> {
  const chosen = columns
    .map((column, i) => ({ column, profile: profiles[i] }))
    .filter(
      ({ column, profile }) =>
        isCategoryLike(column) &&
        profile.distinct >= 2 &&
        profile.distinct <= MAX_CRAMERS_CATEGORIES,
    )
    .slice(0, MAX_CRAMERS_COLUMNS);
  const names = chosen.map(({ column }) => column.name);
  const values = names.map((_, i) => names.map((__, j) => (i === j ? 1 : null))) as (
    number | null
  )[][];
  if (chosen.length < 2) return { columns: names, values };
  const idents = names.map(quoteIdent);
  const sets: string[] = [];
  for (let i = 0; i < idents.length; i += 1)
    for (let j = i + 1; j < idents.length; j += 1) sets.push(`(${idents[i]}, ${idents[j]})`);
  const rows = await queryRows(
    connection,
    `SELECT GROUPING(${idents.join(', ')}) AS g, ${idents.map((c, k) => `CAST(${c} AS VARCHAR) AS "v${k}"`).join(', ')}, count(*) AS n
     FROM profiled GROUP BY GROUPING SETS (${sets.join(', ')})`,
  );
  // GROUPING sets bit (m-1-k) when column k is NOT grouped.
  const m = idents.length;
  const tables = new Map<string, Map<string, Map<string, number>>>();
  for (const row of rows) {
    const g = num(row.g) ?? 0;
    const grouped: number[] = [];
    for (let k = 0; k < m; k += 1) if ((g & (1 << (m - 1 - k))) === 0) grouped.push(k);
    if (grouped.length !== 2) continue;
    const [i, j] = grouped;
    const a = row[`v${i}`];
    const b = row[`v${j}`];
    if (a === null || b === null) continue;
    const key = `${i}:${j}`;
    const table = tables.get(key) ?? new Map<string, Map<string, number>>();
    tables.set(key, table);
    const line = table.get(String(a)) ?? new Map<string, number>();
    table.set(String(a), line);
    line.set(String(b), (line.get(String(b)) ?? 0) + (num(row.n) ?? 0));
  }
  for (const [key, table] of tables) {
    const [i, j] = key.split(':').map(Number);
    values[i][j] = values[j][i] = cramersV(table);
  }
  return { columns: names, values };
}

export function cramersV(table: Map<string, Map<string, number>>): number | null {
  const rowTotals = new Map<string, number>();
  const colTotals = new Map<string, number>();
  let n = 0;
  for (const [a, line] of table) {
    for (const [b, count] of line) {
      rowTotals.set(a, (rowTotals.get(a) ?? 0) + count);
      colTotals.set(b, (colTotals.get(b) ?? 0) + count);
      n += count;
    }
  }
  const k = Math.min(rowTotals.size, colTotals.size);
  if (n === 0 || k < 2) return null;
  let chi2 = 0;
  for (const [a, ra] of rowTotals) {
    for (const [b, cb] of colTotals) {
      const expected = (ra * cb) / n;
      const observed = table.get(a)?.get(b) ?? 0;
      chi2 += ((observed - expected) * (observed - expected)) / expected;
    }
  }
  return Math.sqrt(chi2 / (n * (k - 1)));
}
