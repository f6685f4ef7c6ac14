import type { ColumnSchema } from '../../../../datasets/engine/typed-copy';
import type { Row } from '../../values';

/** Test data for the parity tests: every storage type, with nulls, zeros, negatives and odd text. */
export const PARITY_COLUMNS: ColumnSchema[] = [
  { name: 'id', storageType: 'BIGINT', semanticType: 'identifier' },
  { name: 'age', storageType: 'BIGINT', semanticType: 'integer' },
  { name: 'months', storageType: 'BIGINT', semanticType: 'float' },
  { name: 'income', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 'debt', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 'country', storageType: 'VARCHAR', semanticType: 'categorical' },
  { name: 'first name', storageType: 'VARCHAR', semanticType: 'text' },
  { name: 'active', storageType: 'BOOLEAN', semanticType: 'boolean' },
  { name: 'born', storageType: 'DATE', semanticType: 'date' },
  { name: 'seen', storageType: 'TIMESTAMP', semanticType: 'datetime' },
];

const TEXTS = [
  'FR',
  'DE',
  "O'Brien",
  '"quoted"',
  'Ünïcødé',
  'emoji 😀 here',
  '  padded  ',
  '\u00a0nbsp\u3000',
  'tab\there\n',
  '',
  'ß straße',
  'İstanbul',
  'ΟΔΟΣ',
  'ǅungla',
  'z',
  'Z',
  '\ue000 private use',
  '𝔘 math',
  "a'; DROP TABLE t; --",
  'e\u0301',
];

const DOUBLES = [
  0, -0, 1, -1, 2.5, -2.5, 0.5, -0.5, 1.005, 1234.5, -1234.5, 0.1, 0.2, 0.125, 1e-7, 3.14159, -7.25,
  99.99, 1e15, 123456.789, 7, 12, -3, 1e300,
];

/** A seeded generator, so a failing row can be found again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function parityRows(count: number, seed = 42): Row[] {
  const next = random(seed);
  const pick = <T>(values: T[]): T => values[Math.floor(next() * values.length)];
  const maybe = <T>(value: T, nullRate = 0.12): T | null => (next() < nullRate ? null : value);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const year = 1950 + Math.floor(next() * 80);
    const date = `${year}-${pad(1 + Math.floor(next() * 12))}-${pad(1 + Math.floor(next() * 28))}`;
    const midnight = next() < 0.15;
    const micros = Math.floor(next() * 1_000_000);
    const fraction = next() < 0.5 ? '' : `.${String(micros).padStart(6, '0')}`.replace(/0+$/, '');
    const time = midnight
      ? '00:00:00'
      : `${pad(Math.floor(next() * 24))}:${pad(Math.floor(next() * 60))}:${pad(Math.floor(next() * 60))}${fraction === '.' ? '' : fraction}`;
    rows.push({
      id: i,
      age: maybe(Math.floor(next() * 110) - 10),
      months: maybe(Math.floor(next() * 13)),
      income: maybe(next() < 0.5 ? pick(DOUBLES) : Math.round((next() * 2e5 - 5e4) * 1000) / 1000),
      debt: maybe(next() < 0.5 ? pick(DOUBLES) : (next() - 0.3) * 1e4),
      country: maybe(pick(TEXTS)),
      'first name': maybe(pick(TEXTS)),
      active: maybe(next() < 0.5),
      born: maybe(date),
      seen: maybe(
        next() < 0.2
          ? `${date} 00:00:00`
          : `${pick([2019, 2020, 2021, 2022])}-${date.slice(5)} ${time}`,
      ),
    });
  }
  return rows;
}
