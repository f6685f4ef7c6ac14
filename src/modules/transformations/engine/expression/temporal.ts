/**
 * DATE and TIMESTAMP values travel as DuckDB's VARCHAR renderings ('2024-03-01',
 * '2024-03-01 10:00:00', '2024-03-01 10:00:00.25'), which sort correctly as text for years
 * 0001..9999. These helpers read string literals typed against such columns.
 */
export type TemporalType = 'DATE' | 'TIMESTAMP';

const LITERAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/**
 * A date or timestamp literal in DuckDB's rendering, typed as `target` (a literal with a time of
 * day is a TIMESTAMP even against a DATE column), or an error message.
 */
export function parseTemporalLiteral(
  text: string,
  target: TemporalType,
): { type: TemporalType; value: string } | { error: string } {
  const match = LITERAL.exec(text);
  const expected = `expected 'YYYY-MM-DD'${target === 'TIMESTAMP' || text.length > 10 ? " or 'YYYY-MM-DD HH:MM:SS'" : ''}`;
  if (!match) return { error: `'${text}' is not a valid ${target.toLowerCase()}: ${expected}` };
  const [, y, mo, d, h, mi, s, fraction] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { error: `'${text}' is not a valid ${target.toLowerCase()}: no such day` };
  }
  const date = `${y}-${mo}-${d}`;
  if (h === undefined && target === 'DATE') return { type: 'DATE', value: date };
  const [hour, minute, second] = [Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) {
    return { error: `'${text}' is not a valid timestamp: no such time of day` };
  }
  const trimmed = (fraction ?? '').replace(/0+$/, '');
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}${trimmed ? `.${trimmed}` : ''}`;
  return { type: 'TIMESTAMP', value: `${date} ${time}` };
}

/** A DATE as the TIMESTAMP of its midnight, as DuckDB casts it. */
export function dateAsTimestamp(value: string): string {
  return value.length === 10 ? `${value} 00:00:00` : value;
}

/**
 * A text key that orders DATEs and TIMESTAMPs together: a date is its midnight, the year is
 * padded to six digits (DuckDB renders year 12000 as '12000-01-01'), and a 'T' separator or
 * trailing zeros in the fraction ('.500') are normalized, for rows that did not come from DuckDB.
 */
export function temporalKey(value: string): string {
  const dash = value.indexOf('-', 1);
  let key = dash > 0 && dash < 6 ? `${'0'.repeat(6 - dash)}${value}` : value;
  if (key.length === 12) key = `${key} 00:00:00`;
  else if (key[12] === 'T') key = `${key.slice(0, 12)} ${key.slice(13)}`;
  return key.includes('.') ? key.replace(/\.?0+$/, '') : key;
}

/** Year, month and day from a DATE or TIMESTAMP rendering. */
export function datePart(value: string, part: 'year' | 'month' | 'day'): number {
  const [year, month, day] = value.split(/[ T]/)[0].split('-').map(Number);
  return part === 'year' ? year : part === 'month' ? month : day;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
