import { datetimeRe, type DateOrder, UTC_OFFSET_RE } from '../../datasets/engine/lexical-types';
import type { CastTarget, DatePart } from './steps';
import type { CellValue, StorageType } from './values';

/**
 * The TypeScript side of the cell-level semantics; sql-expressions.ts holds the same rules in
 * DuckDB SQL. Keep the two in step (the parity spec checks them against each other).
 */

/** ASCII whitespace, trimmed by text/trim and around values being cast (DuckDB trims spaces only). */
export const WHITESPACE = ' \t\n\v\f\r';
const WS = '[ \\t\\n\\v\\f\\r]';
export const INT_PATTERN = `^${WS}*[+-]?[0-9]+${WS}*$`;
export const FLOAT_PATTERN = `^${WS}*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?${WS}*$`;
export const DATE_PATTERN = `^${WS}*[0-9]{4}-[0-9]{2}-[0-9]{2}${WS}*$`;
/** Day and month (either order), four-digit year, the same separator twice (RE2 has no \2). */
const CALENDAR_DAY = `(${['/', '\\.', '-'].map((sep) => `[0-9]{1,2}${sep}[0-9]{1,2}${sep}[0-9]{4}`).join('|')})`;
export const CALENDAR_DATE_PATTERN = `^${WS}*${CALENDAR_DAY}${WS}*$`;
/** A calendar date, optionally with ' H:MM' or ' HH:MM:SS' (as the datasets' typing). */
export const CALENDAR_DATETIME_PATTERN = `^${WS}*${CALENDAR_DAY}( [0-9]?[0-9]:[0-9]{2}(:[0-9]{2})?)?${WS}*$`;
/** As the datasets' typing: a UTC offset may follow the seconds (the value becomes UTC). */
export const DATETIME_PATTERN = datetimeRe(WS, `${UTC_OFFSET_RE}?`);
export const TRUE_WORDS = ['true', 'yes', '1'];
export const FALSE_WORDS = ['false', 'no', '0'];

const INT_RE = new RegExp(INT_PATTERN);
const FLOAT_RE = new RegExp(FLOAT_PATTERN);
const DATE_RE = new RegExp(DATE_PATTERN);
const CALENDAR_DATE_RE = new RegExp(CALENDAR_DATE_PATTERN);
const CALENDAR_DATETIME_RE = new RegExp(CALENDAR_DATETIME_PATTERN);
const DATETIME_RE = new RegExp(DATETIME_PATTERN);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Doubles in [-2^63, 2^63) truncate to a BIGINT. */
export const INT64_LIMIT = 9223372036854775808;

export function isMissing(value: CellValue | undefined): value is null | undefined {
  return (
    value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))
  );
}

export function trimWhitespace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.includes(text[start])) start++;
  while (end > start && WHITESPACE.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

export function toNumber(value: CellValue): number | null {
  if (isMissing(value)) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** Cast semantics: every value that does not convert cleanly becomes null. */
export function castCell(
  value: CellValue,
  from: StorageType,
  to: CastTarget,
  dateOrder?: DateOrder,
): CellValue {
  if (isMissing(value)) return null;
  switch (to) {
    case 'integer':
      return castToInteger(value);
    case 'float':
      if (typeof value === 'string')
        return FLOAT_RE.test(value) ? Number(trimWhitespace(value)) : null;
      return toNumber(value);
    case 'boolean':
      if (typeof value === 'string') {
        const word = trimWhitespace(value).toLowerCase();
        return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : null;
      }
      return typeof value === 'number' ? value !== 0 : value;
    case 'date':
      if (from === 'TIMESTAMP') return String(value).slice(0, 10);
      if (from === 'DATE') return value;
      if (dateOrder) return calendarDate(String(value), dateOrder);
      return DATE_RE.test(String(value)) ? validDate(trimWhitespace(String(value))) : null;
    case 'datetime':
      if (from === 'DATE') return `${String(value)} 00:00:00`;
      if (from === 'TIMESTAMP') return value;
      if (dateOrder) return calendarDatetime(String(value), dateOrder);
      return parseDatetime(String(value));
    case 'string':
      if (typeof value === 'number') return from === 'DOUBLE' ? formatDouble(value) : String(value);
      return String(value);
  }
}

function castToInteger(value: CellValue): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (!(value >= -INT64_LIMIT && value < INT64_LIMIT)) return null;
    return Math.trunc(value) + 0; // + 0 turns -0 into 0, as BIGINT has no negative zero
  }
  if (typeof value !== 'string' || !INT_RE.test(value)) return null;
  const big = BigInt(trimWhitespace(value));
  return big < INT64_MIN || big > INT64_MAX ? null : Number(big);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A calendar date text (31/12/2024) read in `order` as 'YYYY-MM-DD', or null (as try_strptime). */
function calendarDate(text: string, order: DateOrder): string | null {
  if (!CALENDAR_DATE_RE.test(text)) return null;
  const [first, second, year] = trimWhitespace(text).split(/[/.-]/).map(Number);
  const [day, month] = order === 'day-first' ? [first, second] : [second, first];
  return validDate(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`);
}

/** A calendar date and optional time (31/12/2024 9:05) read in `order`, as DuckDB prints it. */
function calendarDatetime(text: string, order: DateOrder): string | null {
  if (!CALENDAR_DATETIME_RE.test(text)) return null;
  const [day, clock = '0:00'] = trimWhitespace(text).split(' ');
  const date = calendarDate(day, order);
  const [hh, mm, ss = 0] = clock.split(':').map(Number);
  if (date === null || hh > 23 || mm > 59 || ss > 59) return null;
  return `${date} ${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}`;
}

/** 'YYYY-MM-DD' when it is a real calendar date, else null (as DuckDB's TRY_CAST). */
function validDate(text: string): string | null {
  const [year, month, day] = text.split('-').map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return text;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * DuckDB's TIMESTAMP text: fractional seconds truncated to microseconds, trailing zeros dropped;
 * a UTC offset applied as DuckDB's TIMESTAMPTZ parsing does (hours and minutes taken as written,
 * even past 23 and 59).
 */
function parseDatetime(raw: string): string | null {
  if (!DATETIME_RE.test(raw)) return null;
  const text = trimWhitespace(raw);
  const date = validDate(text.slice(0, 10));
  if (date === null) return null;
  const zone = /(Z|([+-])(\d{2}):?(\d{2})?)$/.exec(text.slice(11));
  const time = zone ? text.slice(11, text.length - zone[0].length) : text.slice(11);
  const [hh = '00', mm = '00', secondsText = '00'] = time ? time.split(':') : [];
  const [ss, fraction = ''] = secondsText.split('.');
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  const micros = fraction.slice(0, 6).padEnd(6, '0').replace(/0+$/, '');
  const offsetMinutes =
    zone && zone[2]
      ? (zone[2] === '-' ? -1 : 1) * (Number(zone[3]) * 60 + Number(zone[4] ?? 0))
      : 0;
  const [day, clock] =
    offsetMinutes === 0
      ? [date, `${hh}:${mm}:${ss}`]
      : shiftMinutes(date, hh, mm, ss, -offsetMinutes);
  return `${day} ${clock}${micros ? `.${micros}` : ''}`;
}

/** The date and hh:mm:ss `minutes` later (earlier when negative), across days and years. */
function shiftMinutes(
  date: string,
  hh: string,
  mm: string,
  ss: string,
  minutes: number,
): [string, string] {
  const [year, month, day] = date.split('-').map(Number);
  const at = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years below 100 as written.
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(Number(hh), Number(mm) + minutes, Number(ss), 0);
  const iso = at.toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ for years 0–9999
  return [iso.slice(0, 10), iso.slice(11, 19)];
}

/**
 * A DOUBLE as DuckDB casts it to VARCHAR (Python's repr): shortest round-trip digits, positional
 * with at least one decimal for exponents in [-4, 16), scientific otherwise ('1e+16', '1e-05').
 */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${pad(Math.abs(exponent), 2)}`;
  }
  const sign = value < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  let text: string;
  if (exponent < 0) text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  else if (digits.length > exponent + 1)
    text = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  else text = `${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return sign + text;
}

/** One part of a 'YYYY-MM-DD[ HH:MM:SS...]' value; day_of_week is Monday = 0 (pandas). */
export function datePart(value: CellValue, part: DatePart): number | null {
  if (isMissing(value)) return null;
  const text = String(value);
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  switch (part) {
    case 'year':
      return year;
    case 'month':
      return month;
    case 'day':
      return day;
    case 'quarter':
      return Math.floor((month - 1) / 3) + 1;
    case 'hour':
      return text.length > 10 ? Number(text.slice(11, 13)) : 0;
    case 'minute':
      return text.length > 10 ? Number(text.slice(14, 16)) : 0;
    case 'day_of_week':
    case 'day_of_year': {
      const utc = new Date(0);
      utc.setUTCFullYear(year, month - 1, day);
      if (part === 'day_of_week') return (utc.getUTCDay() + 6) % 7;
      const start = new Date(0);
      start.setUTCFullYear(year, 0, 1);
      return Math.round((utc.getTime() - start.getTime()) / 86400000) + 1;
    }
  }
}

/**
 * Case mapping one code point at a time, as DuckDB does (JS's full mapping turns 'ß' into 'SS'
 * and 'İ' into 'i̇'; a code point keeps its case when its mapping is several code points).
 */
export function mapCase(text: string, direction: 'lower' | 'upper'): string {
  let out = '';
  for (const char of text) {
    if (direction === 'upper' && char === 'ß') {
      out += 'ẞ';
      continue;
    }
    const mapped = direction === 'lower' ? char.toLowerCase() : char.toUpperCase();
    out += [...mapped].length === 1 ? mapped : direction === 'lower' && char === 'İ' ? 'i' : char;
  }
  return out;
}

/** Length in code points (DuckDB's length()). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _char of text) count++;
  return count;
}
