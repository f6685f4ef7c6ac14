import {
  DAY_FIRST_DATE_RE,
  DAY_FIRST_DATETIME_RE,
  type DateOrder,
  MONTH_FIRST_DATE_RE,
  MONTH_FIRST_DATETIME_RE,
} from './lexical-types';

/**
 * Calendar dates in SQL (31/12/2024, 1.2.2024 9:05, 12-31-2024 14:30:15): what the typing paths
 * count and cast, matching the upload pass's patterns (lexical-types.ts, ADR 13). A column of
 * them is DATE, or TIMESTAMP when some value has a time.
 */
export type CalendarStorage = 'DATE' | 'TIMESTAMP';

/** A sampled text column that looks like calendar dates in one order, stored as this type. */
export type CalendarCandidate = `${DateOrder} ${CalendarStorage}`;

const ORDERS: readonly DateOrder[] = ['day-first', 'month-first'];
const DATE_FORMAT: Record<DateOrder, string> = {
  'day-first': '%d/%m/%Y',
  'month-first': '%m/%d/%Y',
};
const PATTERNS: Record<DateOrder, Record<CalendarStorage, string>> = {
  'day-first': { DATE: DAY_FIRST_DATE_RE, TIMESTAMP: DAY_FIRST_DATETIME_RE },
  'month-first': { DATE: MONTH_FIRST_DATE_RE, TIMESTAMP: MONTH_FIRST_DATETIME_RE },
};

/** The strptime formats of one order: the date alone, or with a time to the minute or second. */
function formats(order: DateOrder, storage: CalendarStorage): string {
  const date = DATE_FORMAT[order];
  if (storage === 'DATE') return `'${date}'`;
  return `['${date} %H:%M:%S', '${date} %H:%M', '${date}']`;
}

/** Trimmed as the typing patterns' \s trims (no vertical tab). */
const trimmed = (c: string): string => `trim(${c}, ' \t\n\f\r')`;

/**
 * Trimmed calendar date text as `storage`, day and month in `order` (its separators made the
 * slashes of the formats). An impossible date (31/02/2024) or time (24:00) fails the query with
 * `onFailure: 'fail'`, which fails a COPY as an overflowing integer does, and is null with
 * `'null'`. The transformations' cast uses it too, with its own trimming.
 */
export function parseCalendar(
  trimmedText: string,
  order: DateOrder,
  storage: CalendarStorage,
  onFailure: 'fail' | 'null',
): string {
  const parse = onFailure === 'fail' ? 'strptime' : 'try_strptime';
  const slashed = `regexp_replace(${trimmedText}, '[.-]', '/', 'g')`;
  return `CAST(${parse}(${slashed}, ${formats(order, storage)}) AS ${storage})`;
}

/** The value as `storage`, day and month in `order`; an impossible one fails the query. */
export function calendarCast(c: string, order: DateOrder, storage: CalendarStorage): string {
  return parseCalendar(trimmed(c), order, storage, 'fail');
}

/** True for values written as `storage` in `order`; `strict` also asks that they parse. */
export function calendarMatch(
  c: string,
  order: DateOrder,
  storage: CalendarStorage,
  strict: boolean,
): string {
  const written = `regexp_full_match(${c}, '${PATTERNS[order][storage]}')`;
  if (!strict) return written;
  return `${written} AND ${parseCalendar(trimmed(c), order, storage, 'null')} IS NOT NULL`;
}

/** Aggregates counting, for column `c` (index `i`), the values of each order and type. */
export function calendarCounts(c: string, i: number, strict: boolean): string[] {
  return ORDERS.flatMap((order) =>
    (['DATE', 'TIMESTAMP'] as const).map(
      (storage) =>
        `count_if(${calendarMatch(c, order, storage, strict)}) AS "${key(order, storage)}${i}"`,
    ),
  );
}

const key = (order: DateOrder, storage: CalendarStorage): string =>
  `cal_${order === 'day-first' ? 'd' : 'm'}${storage === 'DATE' ? 'd' : 't'}`;

/**
 * What those counts decide, given `all(key)` (every present value counted under it): the order
 * and type when every value fits one order and not the other (datetimes include dates), the
 * word `undecided` when every value fits both (no day or month over 12), else nothing.
 */
export function calendarDecision(
  all: (key: string) => boolean,
): { order: DateOrder; storage: CalendarStorage } | 'undecided' | undefined {
  const dayFirst = all(key('day-first', 'TIMESTAMP'));
  const monthFirst = all(key('month-first', 'TIMESTAMP'));
  if (dayFirst && monthFirst) return 'undecided';
  if (!dayFirst && !monthFirst) return undefined;
  const order: DateOrder = dayFirst ? 'day-first' : 'month-first';
  return { order, storage: all(key(order, 'DATE')) ? 'DATE' : 'TIMESTAMP' };
}
