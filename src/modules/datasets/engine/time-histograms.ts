import type { DuckDBConnection } from '@duckdb/node-api';
import { num, queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './formats';

/** Calendar units a time histogram may count by, finest first. */
export const TIME_UNITS = [
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'quarter',
  'year',
  'decade',
] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** A calendar bucket (UTC) and how many values fall in it. */
export interface TimeBin {
  /** The bucket's first instant: `YYYY-MM-DD`, with `HH:MM` (hours, minutes) or `HH:MM:SS`. */
  start: string;
  count: number;
}

export interface TimeHistogram {
  unit: TimeUnit;
  bins: TimeBin[];
}

/** The finest unit that keeps a column's span within about this many buckets. */
export const MAX_TIME_BINS = 31;
/**
 * Columns with at most this many distinct values are counted per value and bucketed here (a
 * GROUP BY on the raw value: ≈ 12 ms at 1M rows); others are truncated to the unit by DuckDB
 * first (`date_trunc`: ≈ 30–50 ms per million values).
 */
export const PER_VALUE_MAX_DISTINCT = 50_000;

const SECOND = 1000;
const DAY = 86_400 * SECOND;
/** Rough lengths, only to choose a unit (months and years vary, so the count may reach 32). */
const APPROXIMATE_MS: Record<TimeUnit, number> = {
  second: SECOND,
  minute: 60 * SECOND,
  hour: 3600 * SECOND,
  day: DAY,
  week: 7 * DAY,
  month: 30.44 * DAY,
  quarter: 91.31 * DAY,
  year: 365.25 * DAY,
  decade: 3652.5 * DAY,
};

/** The finest unit (days at least for dates) whose buckets over [min, max] number ≤ MAX_TIME_BINS. */
export function timeUnitFor(minMs: number, maxMs: number, datesOnly: boolean): TimeUnit {
  const units = TIME_UNITS.slice(datesOnly ? TIME_UNITS.indexOf('day') : 0);
  return (
    units.find((unit) => (maxMs - minMs) / APPROXIMATE_MS[unit] + 1 <= MAX_TIME_BINS) ?? 'decade'
  );
}

/** The start (UTC, epoch ms) of the bucket of `unit` holding `ms`; weeks start on Mondays (ISO). */
export function truncateUtc(ms: number, unit: TimeUnit): number {
  const d = new Date(ms);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  switch (unit) {
    case 'second':
    case 'minute':
    case 'hour':
    case 'day':
      return Math.floor(ms / APPROXIMATE_MS[unit]) * APPROXIMATE_MS[unit];
    case 'week': {
      const day = Math.floor(ms / DAY) * DAY;
      return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
    }
    case 'month':
      return Date.UTC(y, m, 1);
    case 'quarter':
      return Date.UTC(y, m - (m % 3), 1);
    case 'year':
      return Date.UTC(y, 0, 1);
    case 'decade':
      return Date.UTC(y - (((y % 10) + 10) % 10), 0, 1);
  }
}

/** The start of the bucket after the one starting at `start`. */
function nextUtc(start: number, unit: TimeUnit): number {
  const d = new Date(start);
  const months = { month: 1, quarter: 3, year: 12, decade: 120 } as const;
  if (unit in months)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months[unit as keyof typeof months], 1);
  return start + APPROXIMATE_MS[unit];
}

/** The bucket label: the date, and the time of day where the unit is finer than a day. */
function labelOf(ms: number, unit: TimeUnit): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ (years 0–9999)
  if (unit === 'second') return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  if (unit === 'minute' || unit === 'hour') return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(0, 10);
}

/**
 * Counts of instants (epoch ms) as calendar buckets of `unit`, every bucket from the first to
 * the last present (empty ones with 0), so the bars read as a time line.
 */
export function timeHistogramOf(counts: [number, number][], unit: TimeUnit): TimeHistogram {
  const byStart = new Map<number, number>();
  for (const [ms, n] of counts) {
    const start = truncateUtc(ms, unit);
    byStart.set(start, (byStart.get(start) ?? 0) + n);
  }
  if (byStart.size === 0) return { unit, bins: [] };
  const starts = [...byStart.keys()];
  const last = Math.max(...starts);
  const bins: TimeBin[] = [];
  for (let at = Math.min(...starts); at <= last; at = nextUtc(at, unit))
    bins.push({ start: labelOf(at, unit), count: byStart.get(at) ?? 0 });
  return { unit, bins };
}

/** A date or timestamp column to count, with what the profile's scan found. */
export interface TimeColumn {
  index: number;
  name: string;
  /** DATE columns are never split finer than days. */
  datesOnly: boolean;
  /** The scan's min and max as DuckDB prints them (`YYYY-MM-DD[ HH:MM:SS[.ffffff]]`). */
  min: string;
  max: string;
  distinct: number;
}

/** Epoch ms of DuckDB's text of a date or timestamp (years 0–9999), else NaN. */
export function epochMsOf(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(\.\d+)?)?$/.exec(text);
  if (!match) return NaN;
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const fraction = match[7] ? Math.floor(Number(match[7]) * 1000) : 0;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, fraction));
  date.setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999
  return date.getTime();
}

/**
 * Calendar histograms of date and timestamp columns, keyed by column index: one GROUP BY each,
 * on the raw values when they are few, else on the values truncated to the unit. Columns whose
 * bounds JavaScript cannot place (years past 9999, infinities) are left without one.
 */
export async function queryTimeHistograms(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: TimeColumn[],
): Promise<Map<number, TimeHistogram>> {
  const histograms = new Map<number, TimeHistogram>();
  for (const column of columns) {
    const [min, max] = [epochMsOf(column.min), epochMsOf(column.max)];
    if (!Number.isFinite(min) || !Number.isFinite(max)) continue;
    const unit = timeUnitFor(min, max, column.datesOnly);
    const value = `${quoteIdent(column.name)}::TIMESTAMP`;
    const bucket =
      column.distinct <= PER_VALUE_MAX_DISTINCT ? value : `date_trunc('${unit}', ${value})`;
    const rows = await queryRows(
      connection,
      `SELECT epoch_ms(${bucket}) AS t, count(*) AS n FROM read_parquet(${quoteLiteral(parquetPath)})
       WHERE isfinite(${value}) GROUP BY ALL`,
    );
    const counts = rows.map((row): [number, number] => [num(row.t) ?? NaN, num(row.n) ?? 0]);
    if (counts.some(([ms]) => !Number.isFinite(ms))) continue;
    histograms.set(column.index, timeHistogramOf(counts, unit));
  }
  return histograms;
}
