import { fitPipeline } from './fit';
import { EngineTestBed, tableDifferences } from './spec-helpers';
import type { SourceRelation } from './source';
import { transformRows } from './transform-rows';
import type { ColumnSchema, Row } from './values';

/**
 * The DuckDB path (pipelineSql over Parquet) and the TypeScript path (transformRows) must agree on
 * every step type: numbers within 1e-12 relative, identical strings and nulls, same rows in the
 * same order, same columns. Each pipeline is fitted on `train` and applied to `train` and to
 * `fresh`, which holds values the fit never saw (unknown categories, out-of-range numbers).
 */
const SCHEMA: ColumnSchema[] = [
  { name: 'n', storageType: 'BIGINT', semanticType: 'integer' },
  { name: 'x', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 's', storageType: 'VARCHAR', semanticType: 'text' },
  { name: 'cat', storageType: 'VARCHAR', semanticType: 'categorical' },
  { name: 'd', storageType: 'DATE', semanticType: 'date' },
  { name: 'ts', storageType: 'TIMESTAMP', semanticType: 'datetime' },
  { name: 'b', storageType: 'BOOLEAN', semanticType: 'boolean' },
];

const STRINGS = [
  "' Hello '",
  "'WORLD'",
  "'ß straße İ'",
  'NULL',
  "'12'",
  "' 3.5e2 '",
  "'true'",
  "'no'",
  "'2020-02-29'",
  "'2021-02-29'",
  "'2020-01-01T10:30:15.1234567'",
  "'é😀 x'",
  "'-7'",
  "'0'",
  "'Yes'",
  "' 2021-05-06 07:08 '",
  "'a\tb  c'",
  "'99999999999999999999'",
  "'2020-01-01T23:30:00-02:00'",
  "' 2020-02-28 23:30:00.25+0100 '",
  "'0001-01-01 00:30:00Z'",
  "'2020-03-01 00:10:00+01'",
  "'2021-12-31 22:00:00-05:30'",
  "'31/12/2024'",
  "' 1.2.2024 '",
  "'12-31-2024'",
  "'29/02/2021'",
  "'2/29/2024'",
  "'1/2-2024'",
  "'07/08/2024'",
  "'31/12/2024 9:05'",
  "' 2/29/2024 23:59:59 '",
  "'1/2/2024 24:00'",
  "'12.11.2024 10:61'",
];

/** Deterministic mixed rows; the last 10 repeat the first 10 (for deduplicate). */
function dataset(offset: number, categories: string, scale: number): string {
  return `SELECT
    CAST(CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 37 % 23) - 8 END AS BIGINT) AS n,
    CAST(CASE WHEN i % 5 = 1 THEN NULL ELSE ${scale} * (((i * 7919) % 1000) / 37.0 - 9) END AS DOUBLE) AS x,
    list_element([${STRINGS.join(', ')}], CAST(i % ${STRINGS.length} AS INTEGER) + 1) AS s,
    list_element([${categories}], CAST(i * 3 % 8 AS INTEGER) + 1) AS cat,
    CASE WHEN i % 9 = 2 THEN NULL ELSE DATE '2020-01-01' + CAST(i * 13 AS INTEGER) END AS d,
    CASE WHEN i % 6 = 4 THEN NULL ELSE TIMESTAMP '2021-03-04 05:06:07' + to_microseconds(CAST(i * 4567250000 AS BIGINT)) END AS ts,
    CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS b
  FROM (SELECT ${offset} + CASE WHEN j >= 70 THEN j - 70 ELSE j END AS i FROM range(80) t(j))`;
}

const CASES: [string, unknown[]][] = [
  ['select', [{ op: 'select', params: { columns: ['x', 's'] } }]],
  ['drop', [{ op: 'drop', params: { columns: ['s', 'd'] } }]],
  ['rename', [{ op: 'rename', params: { mapping: { x: 'y', cat: 'category' } } }]],
];
for (const to of ['integer', 'float', 'boolean', 'date', 'datetime', 'string']) {
  CASES.push([`cast s to ${to}`, [{ op: 'cast', params: { columns: ['s'], to } }]]);
}
for (const dateOrder of ['day-first', 'month-first']) {
  for (const to of ['date', 'datetime']) {
    CASES.push([
      `cast s to ${to}, ${dateOrder}`,
      [{ op: 'cast', params: { columns: ['s'], to, dateOrder } }],
    ]);
  }
}
CASES.push(
  [
    'cast numbers',
    [
      { op: 'cast', params: { columns: ['x'], to: 'integer' } },
      { op: 'cast', params: { columns: ['n'], to: 'float' } },
    ],
  ],
  [
    'cast x to string',
    [{ op: 'cast', params: { columns: ['x', 'n', 'b', 'd', 'ts'], to: 'string' } }],
  ],
  ['cast to boolean', [{ op: 'cast', params: { columns: ['x', 'n'], to: 'boolean' } }]],
  [
    'cast dates',
    [
      { op: 'cast', params: { columns: ['d'], to: 'datetime' } },
      { op: 'cast', params: { columns: ['ts'], to: 'date' } },
      { op: 'cast', params: { columns: ['b'], to: 'integer' } },
    ],
  ],
  [
    'impute mean/median',
    [
      { op: 'impute', params: { columns: ['n'], strategy: 'mean' } },
      { op: 'impute', params: { columns: ['x'], strategy: 'median' } },
    ],
  ],
  [
    'impute most_frequent',
    [{ op: 'impute', params: { columns: ['cat', 'b', 'd', 'n'], strategy: 'most_frequent' } }],
  ],
  [
    'impute constant',
    [{ op: 'impute', params: { columns: ['cat', 's'], strategy: 'constant', value: 'zz' } }],
  ],
  ['impute ffill', [{ op: 'impute', params: { columns: ['n', 's', 'ts'], strategy: 'ffill' } }]],
  ['drop_missing rows', [{ op: 'drop_missing', params: { mode: 'rows', columns: ['n', 'cat'] } }]],
  [
    'drop_missing row threshold',
    [{ op: 'drop_missing', params: { mode: 'row_threshold', threshold: 0.2 } }],
  ],
  [
    'drop_missing column threshold',
    [{ op: 'drop_missing', params: { mode: 'column_threshold', threshold: 0.15 } }],
  ],
  ['deduplicate all', [{ op: 'deduplicate', params: {} }]],
  ['deduplicate some', [{ op: 'deduplicate', params: { columns: ['cat', 'b'] } }]],
  ['encode onehot', [{ op: 'encode', params: { columns: ['cat', 'b'], method: 'onehot' } }]],
  [
    'encode onehot capped',
    [{ op: 'encode', params: { columns: ['cat', 'n'], method: 'onehot', maxCategories: 3 } }],
  ],
  ['encode ordinal', [{ op: 'encode', params: { columns: ['cat', 'b'], method: 'ordinal' } }]],
  [
    'encode ordinal -1',
    [{ op: 'encode', params: { columns: ['cat', 'n'], method: 'ordinal', unknownValue: -1 } }],
  ],
  ['encode frequency', [{ op: 'encode', params: { columns: ['cat', 'n'], method: 'frequency' } }]],
  ['math log', [{ op: 'math', params: { columns: ['x', 'n'], fn: 'log' } }]],
  ['math log1p', [{ op: 'math', params: { columns: ['x'], fn: 'log', log1p: true } }]],
  ['math sqrt', [{ op: 'math', params: { columns: ['x', 'n'], fn: 'sqrt' } }]],
  [
    'math power',
    [
      { op: 'math', params: { columns: ['x'], fn: 'power', exponent: 0.5 } },
      { op: 'math', params: { columns: ['n'], fn: 'power', exponent: -1 } },
    ],
  ],
  ['math power 3', [{ op: 'math', params: { columns: ['x', 'n'], fn: 'power', exponent: 3 } }]],
  [
    'date parts',
    [
      {
        op: 'date_parts',
        params: {
          columns: ['d'],
          parts: ['year', 'month', 'day', 'day_of_week', 'quarter', 'day_of_year'],
        },
      },
      { op: 'date_parts', params: { columns: ['ts'], parts: ['hour', 'minute', 'day_of_week'] } },
    ],
  ],
  ['text trim', [{ op: 'text', params: { columns: ['s'], action: 'trim' } }]],
  ['text lower', [{ op: 'text', params: { columns: ['s', 'cat'], action: 'lower' } }]],
  ['text upper', [{ op: 'text', params: { columns: ['s'], action: 'upper' } }]],
  ['text length', [{ op: 'text', params: { columns: ['s'], action: 'length' } }]],
  [
    'text regex',
    [
      {
        op: 'text',
        params: {
          columns: ['s'],
          action: 'regex_replace',
          pattern: '([a-z])([0-9]*)',
          replacement: '<$1|$2>$$\\',
        },
      },
    ],
  ],
  [
    'text regex empty matches',
    [
      {
        op: 'text',
        params: { columns: ['s'], action: 'regex_replace', pattern: 'x*', replacement: '-' },
      },
    ],
  ],
  [
    'text regex dot',
    [
      {
        op: 'text',
        params: { columns: ['s'], action: 'regex_replace', pattern: '\\p{L}.', replacement: '_' },
      },
    ],
  ],
);
for (const method of ['standard', 'minmax', 'robust']) {
  CASES.push([`scale ${method}`, [{ op: 'scale', params: { columns: ['x', 'n'], method } }]]);
}
for (const strategy of ['equal_width', 'equal_frequency']) {
  CASES.push([
    `bin ${strategy}`,
    [{ op: 'bin', params: { columns: ['x', 'n'], strategy, nBins: 3 } }],
  ]);
}
CASES.push(
  ['clip iqr', [{ op: 'clip', params: { columns: ['x', 'n'], method: 'iqr', k: 0.5 } }]],
  [
    'clip zscore',
    [{ op: 'clip', params: { columns: ['x', 'n'], method: 'zscore', threshold: 1 } }],
  ],
  [
    'clip percentiles',
    [{ op: 'clip', params: { columns: ['x', 'n'], method: 'percentiles', low: 10, high: 90 } }],
  ],
  [
    'a longer pipeline',
    [
      { op: 'impute', params: { columns: ['s'], strategy: 'ffill' } },
      { op: 'drop_missing', params: { mode: 'rows', columns: ['ts'] } },
      { op: 'deduplicate', params: { columns: ['cat', 'b'] } },
      { op: 'impute', params: { columns: ['x'], strategy: 'mean' } },
      { op: 'clip', params: { columns: ['x'], method: 'iqr' } },
      { op: 'scale', params: { columns: ['x'], method: 'standard' } },
      { op: 'text', params: { columns: ['s'], action: 'lower' } },
      { op: 'encode', params: { columns: ['cat'], method: 'onehot', maxCategories: 3 } },
      { op: 'date_parts', params: { columns: ['d'], parts: ['year', 'day_of_week'] } },
      { op: 'drop', params: { columns: ['d'] } },
      { op: 'rename', params: { mapping: { x: 'x_scaled' } } },
    ],
  ],
);

const EXPRESSION_CASES: [string, unknown[]][] = [
  ['filter', [{ op: 'filter', params: { expression: 'x > 0' } }]],
  ['derive', [{ op: 'derive', params: { name: 'z', expression: 'x * 2 + n' } }]],
];

describe('DuckDB path and TypeScript path parity', () => {
  let bed: EngineTestBed;
  let train: SourceRelation;
  let fresh: SourceRelation;
  let trainRows: Row[];
  let freshRows: Row[];

  beforeAll(async () => {
    bed = await EngineTestBed.open();
    train = await bed.parquet('train', dataset(0, "'a', 'b', 'c', NULL, 'b', 'b', 'd', 'a'", 1));
    fresh = await bed.parquet('fresh', dataset(1000, "'a', 'e', 'c', NULL, 'f', 'b', 'd', 'a'", 3));
    trainRows = await bed.sourceRows(train, SCHEMA);
    freshRows = await bed.sourceRows(fresh, SCHEMA);
  });

  afterAll(() => bed.close());

  async function expectParity(steps: unknown[]): Promise<void> {
    const fitted = await fitPipeline(bed.connection, train, steps, SCHEMA);
    // The fitted pipeline is plain JSON: what is stored is what is applied.
    const stored = JSON.parse(JSON.stringify(fitted)) as typeof fitted;
    for (const [source, rows] of [
      [train, trainRows],
      [fresh, freshRows],
    ] as const) {
      const duck = await bed.duckDbOutput(stored, source);
      const ts = transformRows(stored, rows);
      expect(duck.length).toBeGreaterThan(0);
      expect(tableDifferences(ts, duck)).toEqual([]);
    }
  }

  it.each(CASES)('should agree on %s', async (_, steps) => {
    await expectParity(steps);
  });

  it.each(EXPRESSION_CASES)('should agree on %s (expression language)', async (_, steps) => {
    await expectParity(steps);
  });
});
