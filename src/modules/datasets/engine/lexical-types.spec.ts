import { Random } from 'src/ml/core/random';
import {
  BOOLEAN_WORDS,
  DATE_RE,
  DATETIME_RE,
  DECIMAL_COMMA_RE,
  FLOAT_RE,
  INT_RE,
  NAIVE_DATETIME_RE,
  LEX_BLANK,
  LEX_BOOLEAN,
  LEX_DATE,
  LEX_DATETIME,
  LEX_DECIMAL_COMMA,
  LEX_FLOAT,
  LEX_INTEGER,
  LEX_MARKER,
  LEX_MISSING,
  LEX_NAIVE_DATETIME,
  LEX_BARE_BOOLEAN,
  LEX_DAY_FIRST_DATE,
  LEX_MONTH_FIRST_DATE,
  DAY_FIRST_DATE_RE,
  MONTH_FIRST_DATE_RE,
  LEX_DAY_FIRST_DATETIME,
  LEX_MONTH_FIRST_DATETIME,
  DAY_FIRST_DATETIME_RE,
  MONTH_FIRST_DATETIME_RE,
  lexicalMask,
  calendarDateOrder,
  lexicalType,
  NULL_STRINGS,
} from './lexical-types';

/** The SQL patterns as JavaScript regular expressions, with RE2's \s (no vertical tab). */
const reference = (pattern: string): RegExp =>
  new RegExp(pattern.replaceAll('\\s', '[\\t\\n\\f\\r ]'));
const EXPECTED: [number, (text: string) => boolean][] = [
  [LEX_INTEGER, (text) => reference(INT_RE).test(text)],
  [LEX_FLOAT, (text) => reference(FLOAT_RE).test(text)],
  [LEX_DATE, (text) => reference(DATE_RE).test(text)],
  [LEX_DATETIME, (text) => reference(DATETIME_RE).test(text)],
  [LEX_NAIVE_DATETIME, (text) => reference(NAIVE_DATETIME_RE).test(text)],
  [LEX_DECIMAL_COMMA, (text) => reference(DECIMAL_COMMA_RE).test(text)],
  // A CRLF line's CR stays on its last field: booleans and missing markers allow one at the end.
  [
    LEX_BOOLEAN,
    (text) =>
      BOOLEAN_WORDS.includes(
        text
          .replace(/\r$/, '')
          .replace(/^ +| +$/g, '')
          .toLowerCase(),
      ),
  ],
  [LEX_DAY_FIRST_DATE, (text) => reference(DAY_FIRST_DATE_RE).test(text)],
  [LEX_MONTH_FIRST_DATE, (text) => reference(MONTH_FIRST_DATE_RE).test(text)],
  [LEX_DAY_FIRST_DATETIME, (text) => reference(DAY_FIRST_DATETIME_RE).test(text)],
  [LEX_MONTH_FIRST_DATETIME, (text) => reference(MONTH_FIRST_DATETIME_RE).test(text)],
  [LEX_BARE_BOOLEAN, (text) => BOOLEAN_WORDS.includes(text.replace(/\r$/, '').toLowerCase())],
  [LEX_MISSING, (text) => NULL_STRINGS.includes(text.replace(/\r$/, ''))],
  [
    LEX_MARKER,
    (text) => text.replace(/\r$/, '') !== '' && NULL_STRINGS.includes(text.replace(/\r$/, '')),
  ],
  [LEX_BLANK, (text) => /^[ \r]*$/.test(text)],
];

function expectedMask(text: string): number {
  return EXPECTED.reduce((mask, [bit, matches]) => (matches(text) ? mask | bit : mask), 0);
}

const mask = (text: string): number => lexicalMask(Buffer.from(text, 'latin1'));

describe('lexical typing DFA', () => {
  it('should accept exactly what the typing patterns accept, on curated values', () => {
    const values = [
      '',
      '0',
      '007',
      ' 42 ',
      '+4',
      '-0',
      '1.0',
      '1.5',
      '.5',
      '5.',
      '1e3',
      '1E-3',
      '1,5',
      ' -12,75 ',
      '1,',
      ',5',
      '1,2,3',
      '1e',
      '--1',
      '1-',
      '0x10',
      '1_000',
      'inf',
      'NaN',
      'nan',
      '-nan',
      'NA',
      'N/A',
      '#N/A',
      '<NA>',
      'None',
      'null',
      ' NA',
      '2020-01-01',
      ' 2020-01-01 ',
      '2020-1-1',
      '2020/01/01',
      '2020-01-01 10:00',
      '2020-01-01T10:00:05',
      '2020-01-01 10:00:05.123456',
      '2020-01-01 10:00:05.',
      '2020-01-01T10',
      '2020-01-01 10:00:00+02',
      '2020-01-01T10:00:00Z',
      '2020-01-01T10:00Z', // DuckDB wants seconds before an offset
      '2020-01-01T10:00+01:00',
      '2020-01-01 10:00:00.5-05:30',
      '2020-01-01 10:00:00+0200',
      '2020-01-01 10:00:00+2',
      '2020-01-01 10:00:00z',
      '2020-01-01Z',
      '31/12/2024',
      '12/31/2024',
      '1.2.2024',
      ' 01-02-2024 ',
      '1/2-2024',
      '32/01/2024',
      '0/1/2024',
      '1/13/2024',
      '1/2/24',
      '1/2/20245',
      '31/12/2024 9:05',
      '12/31/2024 14:30:15',
      '1/2/2024 24:00',
      '1/2/2024  10:00',
      '1/2/2024 10:0',
      '1/2/2024T10:00',
      ' 01.02.2024 101:00 ',
      'true',
      ' Yes ',
      'FALSE',
      'no',
      'n',
      't',
      '1\r',
      'NA\r',
      'yes\r',
      '\r',
      '  ',
      'x',
      'true\tfalse',
    ];
    for (const value of values) expect([value, mask(value)]).toEqual([value, expectedMask(value)]);
  });

  it('should agree with the patterns on 200,000 random strings over their alphabet', () => {
    const alphabet = [
      '0',
      '1',
      '7',
      '9',
      '-',
      '+',
      '.',
      ',',
      'e',
      'E',
      ':',
      '/',
      'T',
      'Z',
      ' ',
      '\t',
      '\r',
    ];
    const words = [
      '2020-01-01',
      '10:00',
      'true',
      'No',
      'NA',
      'nan',
      'x',
      '12',
      '00',
      '31/12/',
      '3.1.',
      '13-',
      '2024',
      ' 9:',
      ':15',
    ];
    const random = new Random(7);
    const next = (): number => random.next();
    const disagreements: [string, number, number][] = [];
    for (let k = 0; k < 200_000; k += 1) {
      let text = '';
      const parts = Math.floor(next() * 6);
      for (let p = 0; p < parts; p += 1)
        text +=
          next() < 0.3
            ? words[Math.floor(next() * words.length)]
            : alphabet[Math.floor(next() * alphabet.length)];
      if (mask(text) !== expectedMask(text))
        disagreements.push([JSON.stringify(text), mask(text), expectedMask(text)]);
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
  });

  it('should type a column by the narrowest pattern all its present values matched', () => {
    const column = (...values: string[]) =>
      lexicalType(
        values.reduce((m, v) => m & mask(v), 0xffff),
        values.length,
      );
    expect(column('1', ' 2', '+3')).toBe('BIGINT');
    expect(column('1', '2.5')).toBe('DOUBLE');
    expect(column('yes', 'FALSE')).toBe('BOOLEAN');
    expect(column('2020-01-01', '2021-12-31')).toBe('DATE');
    expect(column('2020-01-01', '2021-12-31 10:00')).toBe('TIMESTAMP');
    expect(column('2021-12-31T10:00:00Z', '2021-12-31 10:00:00.5+05:30')).toBe('TIMESTAMP');
    expect(column('2021-12-31T10:00:00Z', '2021-12-31Z')).toBe('VARCHAR');
    expect(column('1', 'x')).toBe('VARCHAR');
    // Calendar dates: one value with a day over 12 tells the order; none leaves the column text.
    expect(column('31/12/2024', '01/02/2024')).toBe('DATE');
    expect(
      calendarDateOrder(['31/12/2024', '1.2.2024'].reduce((m, v) => m & mask(v), 0xffff)),
    ).toBe('day-first');
    expect(
      calendarDateOrder(['12/31/2024', '1-2-2024'].reduce((m, v) => m & mask(v), 0xffff)),
    ).toBe('month-first');
    expect(column('01/02/2024', '03/04/2024')).toBe('VARCHAR');
    expect(column('31/12/2024', '12/31/2024')).toBe('VARCHAR');
    expect(column('31/12/2024 9:05', '1/2/2024')).toBe('TIMESTAMP');
    expect(column('01/02/2024 9:05', '1/2/2024')).toBe('VARCHAR');
    expect(lexicalType(0xff, 0)).toBe('VARCHAR'); // every value missing
  });
});
