import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { CONTENT_HASH_AGGREGATES, contentHashOf, ROW_HASH, rowHashSelect } from './content-hash';
import { distinctCounts } from './distinct-counts';
import { jsonValue, listItems, num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';
import { type NumericBounds, numericBounds } from './numeric-bounds';
import {
  correlationPairs,
  crossProductAggregates,
  pearsonMatrix,
  type PowerSums,
  sumsWhereMissing,
} from './pearson-sums';
import type { ColumnProfile, CorrelationMatrix, HistogramBin } from './profiler';
import { selectQuantiles } from './quantile-selection';
import type { ColumnSchema } from './typed-copy';
import {
  binCounts,
  interpolatedQuantile,
  momentsFromSums,
  quantileOfCounts,
  queryValueCounts,
  shiftedPowerSums,
  type ValueCounts,
  valueCountsOf,
} from './value-counts';

export const HISTOGRAM_BINS = 20;
export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
/**
 * Integer columns spanning at most this many values are gathered as exact value counts
 * (distinct, quantiles, moments and histogram all follow, exactly) instead of sketches.
 */
export const VALUE_COUNT_MAX_RANGE = 4096;
/**
 * Columns whose footer says they hold at most this many distinct values (rounded measurements,
 * codes) are gathered as exact value counts too, when that compresses them at least
 * VALUE_COUNT_MIN_RATIO times: counts of nearly distinct values cost more to build and to read
 * back into JavaScript than the aggregates they replace (a 20,000-row, 300-column table spent
 * 0.6 s there).
 */
export const VALUE_COUNT_MAX_DISTINCT = 50_000;
export const VALUE_COUNT_MIN_RATIO = 4;

export const isNumeric = (c: ColumnSchema): boolean =>
  c.storageType === 'BIGINT' || c.storageType === 'DOUBLE';

export interface ColumnScan {
  profiles: ColumnProfile[];
  pearson: CorrelationMatrix;
  duplicateRows: number;
  /** Per column, text values holding a space (0 for other types): for semantic types. */
  withSpaces: number[];
  contentHash: string;
}

/** Which statistics the scan computes exactly rather than with sketches. */
export interface Exactness {
  distinct: boolean;
  quantiles: boolean;
}

/** How one numeric column takes part in the scan. */
interface NumericPlan {
  index: number;
  /** The midrange: the shift that keeps power sums well scaled (see value-counts.ts). */
  shift: number;
  bounds?: NumericBounds;
  /** Gathered as value counts rather than sketches. */
  counted: boolean;
  edges?: number[];
  /**
   * A float column the footer does not prove finite: its statistics are taken over the finite
   * values (±infinity would make every sum and bin infinite), and its infinities are counted.
   */
  finiteOnly: boolean;
}

/**
 * Tables of at least this many rows (and at most OWN_QUERY_MAX_COLUMNS columns) gather value
 * counts and exact quantiles in queries of their own per column (GROUP BY, selection passes:
 * ≈ 5 ms each, mostly setting up) rather than as aggregates of the one scan, where DuckDB's
 * `histogram` and `quantile_cont` cost ≈ 30 and 100 ms per million values: 0.6 s of the 1M-row
 * benchmark's profile. Shorter tables keep them in the scan, where they cost less than a
 * query's setup.
 */
export const OWN_QUERY_MIN_ROWS = 100_000;
/**
 * Every query reads the file's footer, whose size grows with columns × row groups: on a
 * 1,000-column, 100,000-row copy a query cost 15 ms before reading a value, and per-column
 * queries took 39 s. Wider tables keep everything in the scan.
 */
export const OWN_QUERY_MAX_COLUMNS = 200;

/** Whether a table takes the per-column queries (see OWN_QUERY_MIN_ROWS). */
export function queriesPerColumn(rowCount: number, columnCount: number): boolean {
  return rowCount >= OWN_QUERY_MIN_ROWS && columnCount <= OWN_QUERY_MAX_COLUMNS;
}

/**
 * Exact distinct counts first (distinct-counts.ts), since a column unique on every row spares
 * the scan its duplicate-row count. Then one scan of the typed copy for the rest: per-column
 * counts, min/max, power sums about the midrange (mean, std, skewness), quantiles, zeros and
 * negatives, histograms (their edges come from the footer's statistics), string lengths, the
 * products behind Pearson's r, duplicate rows and the content hash (one row hash serves both).
 * Columns with few values come as value counts. Then narrower queries: for tall tables
 * (queriesPerColumn), value counts and quantiles per column; and, for Pearson's r on
 * pairwise-complete rows, sums over the rows where a correlated column is missing. A column
 * whose footer statistics disagree with the scan gets a second, histogram-only scan.
 */
export async function scanColumns(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
  correlated: ColumnSchema[],
  rowCount: number,
  exact: Exactness,
): Promise<ColumnScan> {
  const numericColumns = columns
    .map((column, index) => ({ name: column.name, index, column }))
    .filter(({ column }) => isNumeric(column));
  const bounds = await numericBounds(connection, parquetPath, numericColumns);
  const plans = planNumericColumns(numericColumns, bounds, rowCount);
  const ownQueries = queriesPerColumn(rowCount, columns.length);
  const table = `read_parquet(${quoteLiteral(parquetPath)})`;
  /** Column i as the statistics see it (finite values only where infinities may be). */
  const valueOf = (i: number): string => {
    const name = quoteIdent(columns[i].name);
    return plans.get(i)?.finiteOnly ? `CASE WHEN isinf(${name}) THEN NULL ELSE ${name} END` : name;
  };
  /** Column i's statistical values alone, as `v`, for the per-column queries. */
  const valuesOf = (i: number, type = ''): string =>
    `(SELECT (${valueOf(i)})${type} AS v FROM ${table})`;
  // The scan reads the file through a projection that renames every column to "c<i>" (its
  // shifted value to "x<i>"): no name of the user's can collide with the scan's own columns.
  const x = (i: number): string => `"x${i}"`;
  const parts: string[] = [];
  const countedApart: number[] = []; // exact distinct counts: see distinctCounts
  const selected: number[] = []; // exact quantiles by selection: see selectQuantiles
  columns.forEach((column, i) => {
    const plan = plans.get(i);
    const apart = {
      distinct: exact.distinct && !plan?.counted,
      quantiles: exact.quantiles && ownQueries && plan !== undefined && !plan.counted,
    };
    if (apart.distinct) countedApart.push(i);
    if (apart.quantiles) selected.push(i);
    parts.push(...columnAggregates(column, i, plan, { ownQueries, exact, apart }));
  });
  const distinct = await distinctCounts(
    connection,
    parquetPath,
    countedApart.map((i) => ({
      index: i,
      value: valueOf(i),
      integerBounds: columns[i].storageType === 'BIGINT' ? plans.get(i)?.bounds : undefined,
    })),
    rowCount,
  );
  // A column whose every row holds a value of its own makes every row distinct: the scan is
  // spared counting distinct row hashes, the costliest aggregate left in it (≈ 0.2 s at 1M rows).
  const rowsUnique = rowCount > 0 && [...distinct.values()].some((d) => d === rowCount);
  const pairs = correlationPairs(columns, correlated);
  parts.push(...crossProductAggregates(pairs, x));
  if (!rowsUnique) parts.push(`count(*) - count(DISTINCT ${ROW_HASH}) AS "dup"`);
  parts.push(CONTENT_HASH_AGGREGATES);
  const shifted = [...plans.values()]
    .filter((plan) => !plan.counted || pairs.some((p) => p.i === plan.index || p.j === plan.index))
    .map((plan) => `(${valueOf(plan.index)})::DOUBLE - ${plan.shift}::DOUBLE AS ${x(plan.index)}`);
  const infinityFlags = [...plans.values()]
    .filter((plan) => plan.finiteOnly)
    .map((plan) => {
      const name = quoteIdent(columns[plan.index].name);
      return `, CASE WHEN isinf(${name}) THEN sign(${name}) END AS "f${plan.index}"`;
    });
  const [row] = await queryRows(
    connection,
    `SELECT ${parts.join(', ')} FROM (SELECT ${columns.map((_, i) => `${valueOf(i)} AS "c${i}"`).join(', ')},
         ${rowHashSelect(columns)}${shifted.map((s) => `, ${s}`).join('')}${infinityFlags.join('')}
       FROM read_parquet(${quoteLiteral(parquetPath)}, file_row_number=true))`,
  );
  for (const [i, count] of distinct) row[`d${i}`] = count;
  const quantilesOf = new Map<number, (number | null)[]>();
  for (const i of selected) {
    const [count, min, max] = [num(row[`n${i}`]) ?? 0, num(row[`min${i}`]), num(row[`max${i}`])];
    if (min === null || max === null) continue;
    // Row numbers and serial keys: n distinct integers spanning n values are each value once,
    // so every quantile is known without reading them (interpolating between neighbours).
    const everyInteger =
      columns[i].storageType === 'BIGINT' && distinct.get(i) === count && max - min + 1 === count;
    quantilesOf.set(
      i,
      everyInteger
        ? QUANTILES.map((q) => interpolatedQuantile(count, q, (rank) => min + rank))
        : await selectQuantiles(
            connection,
            valuesOf(i, '::DOUBLE'),
            { count, min, max },
            QUANTILES,
          ),
    );
  }
  const sums = new Map<number, PowerSums>();
  const profiles: ColumnProfile[] = [];
  for (const [i, column] of columns.entries()) {
    const plan = plans.get(i);
    let counts: ValueCounts | undefined;
    if (plan?.counted)
      counts = ownQueries
        ? await queryValueCounts(connection, valuesOf(i))
        : valueCountsOf(mapEntries(row[`vc${i}`]));
    if (plan)
      sums.set(i, {
        n: num(row[`n${i}`]) ?? 0,
        sums: counts
          ? shiftedPowerSums(counts, plan.shift)
          : [num(row[`s1_${i}`]) ?? 0, num(row[`s2_${i}`]) ?? 0, num(row[`s3_${i}`]) ?? 0],
      });
    const scanned = { plan, counts, sums: sums.get(i), quantiles: quantilesOf.get(i) };
    profiles.push(columnProfile(column, i, row, rowCount, exact, scanned));
  }
  await rebinMismatched(connection, parquetPath, columns, profiles, plans);
  const projection = `(SELECT ${shifted.join(', ') || '1'} FROM ${table})`;
  // Infinities leave a float's statistics as missing values do.
  const hasMissing = (k: number): boolean =>
    (plans.get(k)?.bounds?.hasMissing ?? true) || plans.get(k)?.finiteOnly === true;
  const whereMissing = await sumsWhereMissing(connection, projection, pairs, x, hasMissing);
  return {
    profiles,
    pearson: pearsonMatrix(row, columns, correlated, pairs, sums, whereMissing),
    duplicateRows: num(row.dup) ?? 0,
    withSpaces: columns.map((_, i) => num(row[`sp${i}`]) ?? 0),
    contentHash: contentHashOf(columns, row),
  };
}

/** How each numeric column takes part in the scan, from the footer's bounds. */
function planNumericColumns(
  numericColumns: { index: number; column: ColumnSchema }[],
  bounds: Map<number, NumericBounds>,
  rowCount: number,
): Map<number, NumericPlan> {
  const plans = new Map<number, NumericPlan>();
  for (const { index, column } of numericColumns) {
    const b = bounds.get(index);
    const counted =
      b !== undefined &&
      ((column.storageType === 'BIGINT' && b.max - b.min <= VALUE_COUNT_MAX_RANGE) ||
        (b.distinctAtMost <= VALUE_COUNT_MAX_DISTINCT &&
          b.distinctAtMost * VALUE_COUNT_MIN_RATIO <= rowCount));
    plans.set(index, {
      index,
      shift: b ? (b.min + b.max) / 2 : 0,
      bounds: b,
      counted,
      edges: b ? histogramEdges(column, b.min, b.max) : undefined,
      finiteOnly: column.storageType === 'DOUBLE' && (b === undefined || b.hasInfinite),
    });
  }
  return plans;
}

/**
 * The scan's aggregates for column i, read through the projection as "c<i>" (its shifted value
 * as "x<i>", its infinities' signs as "f<i>"). What `apart` names comes from other queries.
 */
function columnAggregates(
  column: ColumnSchema,
  i: number,
  plan: NumericPlan | undefined,
  how: { ownQueries: boolean; exact: Exactness; apart: { distinct: boolean; quantiles: boolean } },
): string[] {
  const c = `"c${i}"`;
  const x = `"x${i}"`;
  const parts = [`count(${c}) AS "n${i}"`];
  if (plan?.finiteOnly)
    parts.push(`count_if("f${i}" > 0) AS "pinf${i}"`, `count_if("f${i}" < 0) AS "ninf${i}"`);
  if (plan?.counted) {
    if (!how.ownQueries) parts.push(`histogram(${c}) AS "vc${i}"`);
    return parts;
  }
  if (!how.apart.distinct) parts.push(`approx_count_distinct(${c}) AS "d${i}"`);
  if (plan) {
    const quantiles = `[${QUANTILES.join(', ')}]`;
    if (!how.apart.quantiles)
      parts.push(
        how.exact.quantiles
          ? `quantile_cont(${c}::DOUBLE, ${quantiles}) AS "q${i}"`
          : `approx_quantile(${c}::DOUBLE, ${quantiles}) AS "q${i}"`,
      );
    parts.push(
      `min(${c}::DOUBLE) AS "min${i}"`,
      `max(${c}::DOUBLE) AS "max${i}"`,
      `sum(${x}) AS "s1_${i}"`,
      `sum(${x} * ${x}) AS "s2_${i}"`,
      `sum(${x} * ${x} * ${x}) AS "s3_${i}"`,
      `count_if(${c} = 0) AS "zero${i}"`,
      `count_if(${c} < 0) AS "neg${i}"`,
    );
    if (plan.edges) parts.push(`${histogramSql(c, plan.edges)} AS "h${i}"`);
  } else if (column.storageType === 'DATE' || column.storageType === 'TIMESTAMP') {
    parts.push(
      `CAST(min(${c}) AS VARCHAR) AS "min${i}"`,
      `CAST(max(${c}) AS VARCHAR) AS "max${i}"`,
    );
  } else if (column.storageType === 'VARCHAR') {
    parts.push(
      `min(length(${c})) AS "lmin${i}"`,
      `max(length(${c})) AS "lmax${i}"`,
      `avg(length(${c})) AS "lmean${i}"`,
      `count_if(contains(${c}, ' ')) AS "sp${i}"`,
    );
  }
  return parts;
}

/** How many values of a float column are +infinity and -infinity. */
interface Infinities {
  positive: number;
  negative: number;
}

/** What a numeric column's statistics need beyond its finite values' sums. */
interface NumericTally {
  /** Present values, infinities included. */
  present: number;
  infinities: Infinities;
  exactQuantiles: boolean;
}

/**
 * Upper bin edges over [min, max]: one bin per value for integers with fewer values than
 * bins, else equal widths (the last edge is max itself).
 */
function histogramEdges(column: ColumnSchema, min: number, max: number): number[] {
  if (min === max) return [max];
  if (column.storageType === 'BIGINT' && max - min < HISTOGRAM_BINS)
    return Array.from({ length: max - min + 1 }, (_, k) => min + k);
  const width = (max - min) / HISTOGRAM_BINS;
  return Array.from({ length: HISTOGRAM_BINS }, (_, k) =>
    k === HISTOGRAM_BINS - 1 ? max : min + width * (k + 1),
  );
}

/** DuckDB's counts of `value` per bin, given by upper edges (read back by {@link binnedCounts}). */
function histogramSql(value: string, edges: number[]): string {
  return `histogram(${value}::DOUBLE, [${edges.map((e) => `${e}::DOUBLE`).join(', ')}])`;
}

/** The count of each bin from {@link histogramSql}'s map (bins without values are absent). */
function binnedCounts(map: DuckDBValue | undefined, edges: number[]): number[] {
  const byEdge = new Map(mapEntries(map));
  return edges.map((edge) => byEdge.get(edge) ?? 0);
}

function histogramOf(
  column: ColumnSchema,
  min: number,
  edges: number[],
  counts: number[],
): HistogramBin[] {
  const integerBins =
    column.storageType === 'BIGINT' && edges.length > 1 && edges[1] - edges[0] === 1;
  return edges.map((end, k) => ({
    start: integerBins ? end : k === 0 ? min : edges[k - 1],
    end,
    count: counts[k] ?? 0,
  }));
}

/** `part` as a percentage of `whole` (0 of nothing). */
export function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : (100 * part) / whole;
}

function mapEntries(value: DuckDBValue | undefined): [number, number][] {
  if (value && typeof value === 'object' && 'entries' in value)
    return (value.entries as { key: DuckDBValue; value: DuckDBValue }[]).map((entry) => [
      num(entry.key) ?? NaN,
      num(entry.value) ?? 0,
    ]);
  return [];
}

/** What the scan and the per-column queries gathered of a numeric column. */
interface NumericScan {
  plan?: NumericPlan;
  counts?: ValueCounts;
  sums?: PowerSums;
  /** From selectQuantiles, when the scan did not compute them. */
  quantiles?: (number | null)[];
}

function columnProfile(
  column: ColumnSchema,
  i: number,
  row: Record<string, DuckDBValue>,
  rowCount: number,
  exact: Exactness,
  { plan, counts, sums, quantiles }: NumericScan,
): ColumnProfile {
  // Float columns: how many values are +infinity and -infinity (outside n, the finite count).
  const infinities: Infinities = plan?.finiteOnly
    ? { positive: num(row[`pinf${i}`]) ?? 0, negative: num(row[`ninf${i}`]) ?? 0 }
    : { positive: 0, negative: 0 };
  const count = (num(row[`n${i}`]) ?? 0) + infinities.positive + infinities.negative;
  const missing = rowCount - count;
  // Every distinct measure reads the finite values; each sign of infinity present adds one.
  const distinct =
    (counts ? counts.values.length : (num(row[`d${i}`]) ?? 0)) +
    Number(infinities.positive > 0) +
    Number(infinities.negative > 0);
  const profile: ColumnProfile = {
    name: column.name,
    storageType: column.storageType,
    semanticType: column.semanticType,
    count,
    missing,
    missingPct: pct(missing, rowCount),
    distinct,
    distinctExact: exact.distinct || counts !== undefined,
    distinctPct: pct(distinct, count),
    samples: [],
  };
  if (plan && sums) {
    const tally = { present: count, infinities, exactQuantiles: exact.quantiles };
    Object.assign(
      profile,
      numericProfile(column, i, row, plan, { counts, quantiles }, sums, tally),
    );
  } else if (column.storageType === 'DATE' || column.storageType === 'TIMESTAMP') {
    profile.min = jsonValue(row[`min${i}`]);
    profile.max = jsonValue(row[`max${i}`]);
  } else if (column.storageType === 'VARCHAR') {
    profile.stringLength = {
      min: num(row[`lmin${i}`]),
      max: num(row[`lmax${i}`]),
      mean: num(row[`lmean${i}`]),
    };
  }
  return profile;
}

function numericProfile(
  column: ColumnSchema,
  i: number,
  row: Record<string, DuckDBValue>,
  plan: NumericPlan,
  { counts, quantiles: selected }: NumericScan,
  { n: count, sums }: PowerSums,
  { present, infinities, exactQuantiles }: NumericTally,
): Partial<ColumnProfile> {
  let min: number | null;
  let max: number | null;
  let quantiles: (number | null)[];
  let zeros: number;
  let negatives: number;
  let histogram: HistogramBin[] | undefined;
  if (counts) {
    const { values } = counts;
    min = values.length > 0 ? values[0] : null;
    max = values.length > 0 ? values[values.length - 1] : null;
    quantiles = QUANTILES.map((q) => quantileOfCounts(counts, q));
    zeros = 0;
    negatives = 0;
    values.forEach((v, k) => {
      if (v === 0) zeros += counts.counts[k];
      if (v < 0) negatives += counts.counts[k];
    });
    if (plan.edges && min !== null)
      histogram = histogramOf(column, min, plan.edges, binCounts(counts, plan.edges));
  } else {
    min = num(row[`min${i}`]);
    max = num(row[`max${i}`]);
    quantiles = selected ?? listItems(row[`q${i}`]).map((v) => num(v));
    zeros = num(row[`zero${i}`]) ?? 0;
    negatives = num(row[`neg${i}`]) ?? 0;
    if (plan.edges && min !== null)
      histogram = histogramOf(column, min, plan.edges, binnedCounts(row[`h${i}`], plan.edges));
  }
  // Edges from footer statistics that disagree with the scan are redone by rebinMismatched.
  if (plan.bounds && (plan.bounds.min !== min || plan.bounds.max !== max)) histogram = undefined;
  const moments = momentsFromSums(count, plan.shift, sums);
  return {
    min,
    max,
    ...moments,
    quantiles: {
      p5: quantiles[0] ?? null,
      p25: quantiles[1] ?? null,
      p50: quantiles[2] ?? null,
      p75: quantiles[3] ?? null,
      p95: quantiles[4] ?? null,
    },
    quantilesExact: counts !== undefined || exactQuantiles,
    // Shares of all present values, infinities included; -∞ is negative too.
    zeros,
    zerosPct: pct(zeros, present),
    negatives: negatives + infinities.negative,
    negativesPct: pct(negatives + infinities.negative, present),
    ...(column.storageType === 'DOUBLE' && {
      infinite: infinities.positive + infinities.negative,
      infinitePct: pct(infinities.positive + infinities.negative, present),
    }),
    histogram,
  };
}

/** Histograms for numeric columns the one scan could not bin (no or wrong footer statistics). */
async function rebinMismatched(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: ColumnSchema[],
  profiles: ColumnProfile[],
  plans: Map<number, NumericPlan>,
): Promise<void> {
  const parts: string[] = [];
  const edges = new Map<number, number[]>();
  for (const i of plans.keys()) {
    const { min, max, histogram } = profiles[i];
    if (histogram || typeof min !== 'number' || typeof max !== 'number') continue;
    const bins = histogramEdges(columns[i], min, max);
    edges.set(i, bins);
    parts.push(`${histogramSql(quoteIdent(columns[i].name), bins)} AS "h${i}"`);
  }
  if (parts.length === 0) return;
  const [row] = await queryRows(
    connection,
    `SELECT ${parts.join(', ')} FROM read_parquet(${quoteLiteral(parquetPath)})`,
  );
  for (const [i, bins] of edges)
    profiles[i].histogram = histogramOf(
      columns[i],
      profiles[i].min as number,
      bins,
      binnedCounts(row[`h${i}`], bins),
    );
}
