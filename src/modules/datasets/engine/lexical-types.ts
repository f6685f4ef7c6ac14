/**
 * Lexical typing of delimited-text fields during the upload's structure pass: one table-driven
 * DFA, fed each byte of a field's (unquoted) content, ends in a state that says which of the
 * patterns below the whole field matches. The typing rules are the regular expressions of
 * `typed-copy.ts` (integer, float, ISO date, ISO datetime, true/false/yes/no, missing markers);
 * the DFA is compiled from the same languages on first use, so a column whose every value
 * matched a pattern can be parsed by DuckDB's typed CSV reader directly — its lenient casts
 * ('1.5' as BIGINT, '2020-01-01 10:00' as DATE) never see a value they would bend.
 */

import type { StorageType } from './typed-copy';

/** Bits of the accepted-languages mask. */
export const LEX_INTEGER = 1;
export const LEX_FLOAT = 2;
export const LEX_BOOLEAN = 4;
export const LEX_DATE = 8;
export const LEX_DATETIME = 16;
export const LEX_MISSING = 32;
/** Nothing but spaces (and CRs) so far: a quote here opens a quoted field. */
export const LEX_BLANK = 64;
/** A missing marker other than the empty field (NA, NULL, …). */
export const LEX_MARKER = 128;
/**
 * A datetime without a UTC offset. A column of datetimes that lost this bit holds offsets,
 * which its reading must apply (slower: see typed-copy.ts).
 */
export const LEX_NAIVE_DATETIME = 256;
/** A number with a decimal comma (1,5) or an integer: floats of semicolon-delimited files. */
export const LEX_DECIMAL_COMMA = 512;
/**
 * A boolean word without surrounding spaces, which DuckDB's BOOLEAN reader takes as it is; a
 * column of booleans that lost this bit holds padded words (' no '), which need mapping in SQL.
 */
export const LEX_BARE_BOOLEAN = 1024;
/** A calendar date written day first: 31/12/2024, 1.2.2024, 31-12-2024 (four-digit year). */
export const LEX_DAY_FIRST_DATE = 2048;
/** A calendar date written month first: 12/31/2024, 2-1-2024 (four-digit year). */
export const LEX_MONTH_FIRST_DATE = 4096;
/** A day-first calendar date, optionally with a time: 31/12/2024 9:05, 31.12.2024 14:30:15. */
export const LEX_DAY_FIRST_DATETIME = 8192;
/** A month-first calendar date, optionally with a time: 12/31/2024 14:30. */
export const LEX_MONTH_FIRST_DATETIME = 16384;
/** The mask of a column before any value: every type still possible. */
export const LEX_ALL =
  LEX_INTEGER |
  LEX_FLOAT |
  LEX_BOOLEAN |
  LEX_DATE |
  LEX_DATETIME |
  LEX_NAIVE_DATETIME |
  LEX_DECIMAL_COMMA |
  LEX_BARE_BOOLEAN |
  LEX_DAY_FIRST_DATE |
  LEX_MONTH_FIRST_DATE |
  LEX_DAY_FIRST_DATETIME |
  LEX_MONTH_FIRST_DATETIME;

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

export const INT_RE = '^\\s*[+-]?[0-9]+\\s*$';
export const FLOAT_RE = '^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$';
export const DATE_RE = '^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$';
/** A UTC offset after the seconds: Z, ±hh, ±hhmm or ±hh:mm (the ZONE pattern below). */
export const UTC_OFFSET_RE = '(Z|[+-][0-9]{2}(:?[0-9]{2})?)';
/** An ISO date with an optional time, `offset` (a regular expression) after its seconds. */
export const datetimeRe = (space: string, offset: string): string =>
  `^${space}*[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?${offset})?)?${space}*$`;
export const DATETIME_RE = datetimeRe('\\s', `${UTC_OFFSET_RE}?`);
/** DATETIME_RE without the UTC offset (LEX_NAIVE_DATETIME). */
export const NAIVE_DATETIME_RE = datetimeRe('\\s', '');
export const DECIMAL_COMMA_RE = '^\\s*[+-]?[0-9]+(,[0-9]+)?\\s*$';
const DAY_RE = '(0?[1-9]|[12][0-9]|3[01])';
const MONTH_RE = '(0?[1-9]|1[0-2])';
/**
 * `first`, `second` and a four-digit year, the same separator (/ . -) between them, then what
 * `clock` allows.
 */
const calendarDateRe = (first: string, second: string, clock = ''): string =>
  `^\\s*(${['/', '\\.', '-'].map((sep) => `${first}${sep}${second}${sep}[0-9]{4}`).join('|')})${clock}\\s*$`;
/** A clock time after a calendar date: one or two digits for the hour, optional seconds. */
const CLOCK_RE = '( [0-9]?[0-9]:[0-9]{2}(:[0-9]{2})?)?';
export const DAY_FIRST_DATE_RE = calendarDateRe(DAY_RE, MONTH_RE);
export const MONTH_FIRST_DATE_RE = calendarDateRe(MONTH_RE, DAY_RE);
export const DAY_FIRST_DATETIME_RE = calendarDateRe(DAY_RE, MONTH_RE, CLOCK_RE);
export const MONTH_FIRST_DATETIME_RE = calendarDateRe(MONTH_RE, DAY_RE, CLOCK_RE);
/** lower(trim(value)) IN these, as SQL checks it: spaces only, any letter case. */
export const TRUE_WORDS = ['true', 'yes'];
export const FALSE_WORDS = ['false', 'no'];
export const BOOLEAN_WORDS = [...TRUE_WORDS, ...FALSE_WORDS];

// ------------------------------------------------------------------ patterns as NFA pieces

type Pattern =
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'seq'; parts: Pattern[] }
  | { kind: 'alt'; options: Pattern[] }
  | { kind: 'star'; body: Pattern };

const bytesOf = (chars: string): Pattern => ({
  kind: 'bytes',
  bytes: [...chars].map((c) => c.charCodeAt(0)),
});
const seq = (...parts: Pattern[]): Pattern => ({ kind: 'seq', parts });
const alt = (...options: Pattern[]): Pattern => ({ kind: 'alt', options });
const star = (body: Pattern): Pattern => ({ kind: 'star', body });
const opt = (body: Pattern): Pattern => alt(body, seq());
const plus = (body: Pattern): Pattern => seq(body, star(body));
const times = (body: Pattern, n: number): Pattern => seq(...Array.from({ length: n }, () => body));
const literal = (text: string): Pattern => seq(...[...text].map((c) => bytesOf(c)));
const anyCase = (text: string): Pattern =>
  seq(...[...text].map((c) => bytesOf(c.toLowerCase() + c.toUpperCase())));

/** RE2's \s: tab, newline, form feed, carriage return, space. */
const SPACE = bytesOf('\t\n\f\r ');
const DIGIT = bytesOf('0123456789');
const SIGN = opt(bytesOf('+-'));
const EXPONENT = seq(bytesOf('eE'), SIGN, plus(DIGIT));
const DATE = seq(times(DIGIT, 4), literal('-'), times(DIGIT, 2), literal('-'), times(DIGIT, 2));
/**
 * A UTC offset after a time with seconds (DuckDB refuses one after hh:mm): Z, ±hh, ±hhmm or
 * ±hh:mm (stored converted to UTC).
 */
const ZONE = alt(
  literal('Z'),
  seq(bytesOf('+-'), times(DIGIT, 2), opt(seq(opt(literal(':')), times(DIGIT, 2)))),
);
const HOURS_MINUTES = seq(bytesOf('T '), times(DIGIT, 2), literal(':'), times(DIGIT, 2));
const SECONDS = seq(literal(':'), times(DIGIT, 2), opt(seq(literal('.'), plus(DIGIT))));
const NAIVE_TIME = seq(HOURS_MINUTES, opt(SECONDS));
const TIME = seq(HOURS_MINUTES, opt(seq(SECONDS, opt(ZONE))));
const padded = (body: Pattern): Pattern => seq(star(SPACE), body, star(SPACE));
const NONZERO = bytesOf('123456789');
const DAY = alt(
  seq(opt(literal('0')), NONZERO),
  seq(bytesOf('12'), DIGIT),
  seq(literal('3'), bytesOf('01')),
);
const MONTH = alt(seq(opt(literal('0')), NONZERO), seq(literal('1'), bytesOf('012')));
/** CLOCK_RE: a space, one or two digits of hour, two of minutes, optionally two of seconds. */
const CLOCK = opt(
  seq(
    literal(' '),
    opt(DIGIT),
    DIGIT,
    literal(':'),
    times(DIGIT, 2),
    opt(seq(literal(':'), times(DIGIT, 2))),
  ),
);
const calendarDate = (first: Pattern, second: Pattern): Pattern =>
  alt(
    ...['/', '.', '-'].map((sep) =>
      seq(first, literal(sep), second, literal(sep), times(DIGIT, 4)),
    ),
  );
const spaced = (body: Pattern): Pattern => seq(star(literal(' ')), body, star(literal(' ')));

/** The languages, with the mask bit each sets (same as the regular expressions above). */
const LANGUAGES: [number, Pattern][] = [
  [LEX_INTEGER, padded(seq(SIGN, plus(DIGIT)))],
  [
    LEX_FLOAT,
    padded(
      seq(
        SIGN,
        alt(seq(plus(DIGIT), opt(literal('.')), star(DIGIT)), seq(literal('.'), plus(DIGIT))),
        opt(EXPONENT),
      ),
    ),
  ],
  [LEX_DATE, padded(DATE)],
  [LEX_DATETIME, padded(seq(DATE, opt(TIME)))],
  [LEX_NAIVE_DATETIME, padded(seq(DATE, opt(NAIVE_TIME)))],
  [LEX_DECIMAL_COMMA, padded(seq(SIGN, plus(DIGIT), opt(seq(literal(','), plus(DIGIT)))))],
  [LEX_DAY_FIRST_DATE, padded(calendarDate(DAY, MONTH))],
  [LEX_MONTH_FIRST_DATE, padded(calendarDate(MONTH, DAY))],
  [LEX_DAY_FIRST_DATETIME, padded(seq(calendarDate(DAY, MONTH), CLOCK))],
  [LEX_MONTH_FIRST_DATETIME, padded(seq(calendarDate(MONTH, DAY), CLOCK))],
  // A CSV line ending in CRLF leaves its CR on the last field; DuckDB drops it with the newline
  // (the \s of the other patterns already allows it).
  [LEX_BOOLEAN, seq(spaced(alt(...BOOLEAN_WORDS.map(anyCase))), opt(literal('\r')))],
  [LEX_BARE_BOOLEAN, seq(alt(...BOOLEAN_WORDS.map(anyCase)), opt(literal('\r')))],
  [LEX_MISSING, seq(alt(...NULL_STRINGS.map(literal)), opt(literal('\r')))],
  [LEX_BLANK, star(bytesOf(' \r'))],
  [
    LEX_MARKER,
    seq(alt(...NULL_STRINGS.filter((text) => text !== '').map(literal)), opt(literal('\r'))),
  ],
];

// ------------------------------------------------------------ Thompson NFA, subset DFA

interface NfaState {
  epsilon: number[];
  bytes?: Set<number>;
  next?: number;
  accepts: number;
}

function compile(pattern: Pattern, states: NfaState[], from: number): number {
  const add = (): number => states.push({ epsilon: [], accepts: 0 }) - 1;
  switch (pattern.kind) {
    case 'bytes': {
      const to = add();
      // `from` is always a fresh state here, so each state has at most one byte edge.
      Object.assign(states[from], { bytes: new Set(pattern.bytes), next: to });
      return to;
    }
    case 'seq':
      return pattern.parts.reduce((at, part) => {
        const entry = add();
        states[at].epsilon.push(entry);
        return compile(part, states, entry);
      }, from);
    case 'alt': {
      const end = add();
      for (const option of pattern.options) {
        const entry = add();
        states[from].epsilon.push(entry);
        states[compile(option, states, entry)].epsilon.push(end);
      }
      return end;
    }
    case 'star': {
      const entry = add();
      const end = add();
      states[from].epsilon.push(entry, end);
      const bodyEnd = compile(pattern.body, states, entry);
      states[bodyEnd].epsilon.push(entry, end);
      return end;
    }
  }
}

function closure(states: NfaState[], seeds: Iterable<number>): number[] {
  const seen = new Set<number>();
  const stack = [...seeds];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push(...states[s].epsilon);
  }
  return [...seen].sort((a, b) => a - b);
}

export interface LexicalDfa {
  /** Byte → character class. */
  classOf: Uint8Array;
  /** Next state: `next[(state << shift) | classOf[byte]]`. */
  next: Uint8Array;
  shift: number;
  /** Accepted-languages mask of each state (0 for the dead state and partial matches). */
  accepts: Uint16Array;
  start: number;
}

function buildDfa(): LexicalDfa {
  const states: NfaState[] = [{ epsilon: [], accepts: 0 }];
  for (const [bit, pattern] of LANGUAGES) {
    const entry = states.push({ epsilon: [], accepts: 0 }) - 1;
    states[0].epsilon.push(entry);
    states[compile(pattern, states, entry)].accepts |= bit;
  }
  const keys = new Map<string, number>();
  const sets: number[][] = [];
  const intern = (set: number[]): number => {
    const key = set.join(',');
    let id = keys.get(key);
    if (id === undefined) {
      id = sets.push(set) - 1;
      keys.set(key, id);
    }
    return id;
  };
  const dead = intern([]);
  const start = intern(closure(states, [0]));
  const rows: Int32Array[] = [];
  for (let id = 0; id < sets.length; id += 1) {
    const row = new Int32Array(256);
    for (let byte = 0; byte < 256; byte += 1) {
      const targets = sets[id].flatMap((s) =>
        states[s].bytes?.has(byte) ? [states[s].next!] : [],
      );
      row[byte] = targets.length === 0 ? dead : intern(closure(states, targets));
    }
    rows.push(row);
  }
  // Bytes that every state treats alike share a class.
  const classOf = new Uint8Array(256);
  const classKeys = new Map<string, number>();
  for (let byte = 0; byte < 256; byte += 1) {
    const key = rows.map((row) => row[byte]).join(',');
    let cls = classKeys.get(key);
    if (cls === undefined) {
      cls = classKeys.size;
      classKeys.set(key, cls);
    }
    classOf[byte] = cls;
  }
  const shift = Math.ceil(Math.log2(classKeys.size));
  if (sets.length > 256) throw new Error('the lexical DFA outgrew one byte per state');
  const next = new Uint8Array(sets.length << shift);
  rows.forEach((row, id) => {
    for (let byte = 0; byte < 256; byte += 1) next[(id << shift) | classOf[byte]] = row[byte];
  });
  const accepts = Uint16Array.from(sets, (set) =>
    set.reduce((mask, s) => mask | states[s].accepts, 0),
  );
  return { classOf, next, shift, accepts, start };
}

let compiled: LexicalDfa | undefined;

/** The DFA, compiled on first use (≈ 30 ms: only processes that read delimited text pay). */
export function lexicalDfa(): LexicalDfa {
  compiled ??= buildDfa();
  return compiled;
}

/** The accepted-languages mask of one whole field (tests and small inputs; the scan inlines it). */
export function lexicalMask(bytes: Uint8Array): number {
  const { classOf, next, shift, accepts, start } = lexicalDfa();
  let state = start;
  for (const byte of bytes) state = next[(state << shift) | classOf[byte]];
  return accepts[state];
}

/**
 * Whether a column of `mask` holds decimal-comma numbers (some 1,5, the rest integers): a float
 * column in a semicolon-delimited file (the caller decides that).
 */
export function hasDecimalCommas(mask: number): boolean {
  return (mask & LEX_DECIMAL_COMMA) !== 0 && (mask & (LEX_INTEGER | LEX_FLOAT)) === 0;
}

/** Whether a column typed BOOLEAN by `mask` holds only unpadded words (DuckDB reads those). */
export function hasBareBooleans(mask: number): boolean {
  return (mask & LEX_BARE_BOOLEAN) !== 0;
}

/** In which order a column's calendar dates give day and month (31/12/2024 or 12/31/2024). */
export type DateOrder = 'day-first' | 'month-first';

/**
 * The order of a column whose every value is a D/M/Y-style calendar date; undefined when no
 * value told (all had day and month of 12 or less: 01/02/2024 could be either, and a wrong
 * guess would store wrong dates, so such a column stays text) or when it holds other values.
 */
export function calendarDateOrder(mask: number): DateOrder | undefined {
  // The datetime patterns include the dates: their bits hold whichever the column has.
  const dayFirst = (mask & LEX_DAY_FIRST_DATETIME) !== 0;
  const monthFirst = (mask & LEX_MONTH_FIRST_DATETIME) !== 0;
  if (dayFirst === monthFirst) return undefined;
  return dayFirst ? 'day-first' : 'month-first';
}

/** The type of a column of calendar dates in `order`: DATE unless some value has a time. */
function calendarType(mask: number, order: DateOrder): StorageType {
  const dateOnly = order === 'day-first' ? LEX_DAY_FIRST_DATE : LEX_MONTH_FIRST_DATE;
  return (mask & dateOnly) !== 0 ? 'DATE' : 'TIMESTAMP';
}

/** Whether a column typed TIMESTAMP by `mask` holds values with a UTC offset. */
export function hasUtcOffsets(mask: number): boolean {
  return (mask & LEX_DATETIME) !== 0 && (mask & LEX_NAIVE_DATETIME) === 0;
}

/**
 * The narrowest type every present value of a column matched, in the sample path's order
 * (integer, float, boolean, date, datetime); text when none, or when every value was missing.
 */
export function lexicalType(mask: number, present: number): StorageType {
  if (present === 0) return 'VARCHAR';
  if (mask & LEX_INTEGER) return 'BIGINT';
  if (mask & LEX_FLOAT) return 'DOUBLE';
  if (mask & LEX_BOOLEAN) return 'BOOLEAN';
  if (mask & LEX_DATE) return 'DATE';
  if (mask & LEX_DATETIME) return 'TIMESTAMP';
  const order = calendarDateOrder(mask);
  if (order) return calendarType(mask, order);
  return 'VARCHAR';
}
