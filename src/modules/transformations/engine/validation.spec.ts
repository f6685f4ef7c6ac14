import { fitPipeline } from './fit';
import { PipelineValidationError } from './errors';
import type { StepIssue } from './errors';
import { pipelineReport } from './report';
import { EngineTestBed } from './spec-helpers';
import type { SourceRelation } from './source';
import { transformRow } from './transform-rows';
import { validatePipeline } from './validate';
import type { ColumnSchema } from './values';

const SCHEMA: ColumnSchema[] = [
  { name: 'age', storageType: 'BIGINT', semanticType: 'integer' },
  { name: 'income', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 'city', storageType: 'VARCHAR', semanticType: 'categorical' },
  { name: 'joined', storageType: 'DATE', semanticType: 'date' },
];

function issuesOf(run: () => unknown): StepIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PipelineValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a PipelineValidationError');
}

async function asyncIssuesOf(run: () => Promise<unknown>): Promise<StepIssue[]> {
  const error: unknown = await run().then(
    () => new Error('expected a PipelineValidationError'),
    (thrown: unknown) => thrown,
  );
  if (error instanceof PipelineValidationError) return error.issues;
  throw error;
}

describe('validatePipeline', () => {
  it('should return the parsed steps and the schema after each step', () => {
    const { steps, schemas } = validatePipeline(
      [
        { op: 'scale', params: { columns: ['age'], method: 'standard' } },
        { op: 'date_parts', params: { columns: ['joined'], parts: ['year'] } },
        { op: 'drop', params: { columns: ['joined'] } },
      ],
      SCHEMA,
    );
    expect(steps.map((step) => step.op)).toEqual(['scale', 'date_parts', 'drop']);
    expect(schemas[0][0]).toEqual({ name: 'age', storageType: 'DOUBLE', semanticType: 'float' });
    expect(schemas[2].map((column) => column.name)).toEqual([
      'age',
      'income',
      'city',
      'joined_year',
    ]);
  });

  it('should name the step and field of bad parameters', () => {
    const issues = issuesOf(() =>
      validatePipeline(
        [
          { op: 'scale', params: { columns: ['age'], method: 'zscore' } },
          { op: 'bin', params: { columns: ['income'], strategy: 'equal_width', nBins: 1.5 } },
          { op: 'explode', params: {} },
          { op: 'clip', params: { columns: ['age'], method: 'iqr', colour: 'red' } },
          {
            op: 'text',
            params: {
              columns: ['city'],
              action: 'regex_replace',
              pattern: '(?<=a)b',
              replacement: '$2',
            },
          },
          { op: 'cast', params: { columns: ['age'], to: 'float', dateOrder: 'day-first' } },
          { op: 'cast', params: { columns: ['city'], to: 'date', dateOrder: 'year-first' } },
        ],
        SCHEMA,
      ),
    );
    expect(issues).toEqual([
      {
        step: 0,
        field: 'method',
        message: expect.stringContaining('standard, minmax, robust') as string,
      },
      { step: 1, field: 'nBins', message: 'must be a whole number' },
      { step: 2, field: 'op', message: expect.stringContaining('unknown op "explode"') as string },
      { step: 3, field: 'colour', message: "unknown parameter 'colour' for this step" },
      { step: 4, field: 'pattern', message: expect.stringContaining('lookbehind') as string },
      { step: 4, field: 'replacement', message: '$2 refers to a group the pattern does not have' },
      { step: 5, field: 'dateOrder', message: 'not used when casting to float' },
      {
        step: 6,
        field: 'dateOrder',
        message: expect.stringContaining('day-first, month-first') as string,
      },
    ]);
  });

  it('should report unknown columns, columns removed earlier and wrong types', () => {
    const issues = issuesOf(() =>
      validatePipeline(
        [
          { op: 'drop', params: { columns: ['income'] } },
          { op: 'impute', params: { columns: ['age', 'income'], strategy: 'mean' } },
          { op: 'scale', params: { columns: ['city'], method: 'minmax' } },
          { op: 'date_parts', params: { columns: ['age'], parts: ['year'] } },
          { op: 'select', params: { columns: ['age', 'agee'] } },
        ],
        SCHEMA,
      ),
    );
    expect(issues).toEqual([
      { step: 1, field: 'columns[1]', message: "column 'income' was removed by step 0" },
      {
        step: 2,
        field: 'columns[0]',
        message: expect.stringContaining("column 'city' is VARCHAR") as string,
      },
      {
        step: 3,
        field: 'columns[0]',
        message: expect.stringContaining('needs DATE or TIMESTAMP') as string,
      },
      { step: 4, field: 'columns[1]', message: "unknown column 'agee'" },
    ]);
  });

  it('should check a constant imputation value against the column type', () => {
    const issues = issuesOf(() =>
      validatePipeline(
        [{ op: 'impute', params: { columns: ['age'], strategy: 'constant', value: 'x' } }],
        SCHEMA,
      ),
    );
    expect(issues).toEqual([
      { step: 0, field: 'value', message: "must be a whole number for column 'age' (BIGINT)" },
    ]);
  });

  it('should reject a list that is not a list', () => {
    expect(issuesOf(() => validatePipeline({ op: 'drop' }, SCHEMA))[0].message).toBe(
      'steps must be a list',
    );
  });
});

describe('fitPipeline, pipelineReport and transformRow', () => {
  let bed: EngineTestBed;
  let source: SourceRelation;

  beforeAll(async () => {
    bed = await EngineTestBed.open();
    source = await bed.parquet(
      'people',
      `SELECT CASE WHEN i % 4 = 0 THEN NULL ELSE 20 + i END::BIGINT AS age,
              CASE WHEN i % 10 = 0 THEN NULL ELSE i * 1.5 END::DOUBLE AS income,
              CASE WHEN i % 5 = 0 THEN NULL ELSE 'c' || (i % 3) END AS city,
              DATE '2020-01-01' + (i % 3)::INTEGER AS joined
       FROM range(40) t(i)`,
    );
  });

  afterAll(() => bed.close());

  it('should read calendar dates in the date order a cast names', async () => {
    const cast = async (
      dateOrder: 'day-first' | 'month-first',
      values: string[],
      to: 'date' | 'datetime' = 'date',
    ) => {
      const fitted = await fitPipeline(
        bed.connection,
        source,
        [{ op: 'cast', params: { columns: ['city'], to, dateOrder } }],
        SCHEMA,
      );
      return values.map((city) => {
        const out = transformRow(fitted, { age: 1, income: 1, city, joined: null });
        return out.scorable ? out.row.city : out;
      });
    };
    const texts = [
      '31/12/2024',
      ' 1.2.2024 ',
      '12-31-2024',
      '29/02/2021',
      '1/2-2024',
      '2024-01-02',
    ];
    expect(await cast('day-first', texts)).toEqual([
      '2024-12-31',
      '2024-02-01',
      null,
      null,
      null,
      null,
    ]);
    expect(await cast('month-first', texts)).toEqual([
      null,
      '2024-01-02',
      '2024-12-31',
      null,
      null,
      null,
    ]);
    const times = ['31/12/2024 9:05', '1/2/2024', '1/2/2024 23:59:59', '1/2/2024 24:00'];
    expect(await cast('day-first', times, 'datetime')).toEqual([
      '2024-12-31 09:05:00',
      '2024-02-01 00:00:00',
      '2024-02-01 23:59:59',
      null,
    ]);
  });

  it('should report a step that uses a column a learned step dropped', async () => {
    const issues = await asyncIssuesOf(() =>
      fitPipeline(
        bed.connection,
        source,
        [
          { op: 'drop_missing', params: { mode: 'column_threshold', threshold: 0.2 } },
          { op: 'scale', params: { columns: ['age'], method: 'robust' } },
        ],
        SCHEMA,
      ),
    );
    expect(issues).toEqual([
      { step: 1, field: 'columns[0]', message: "column 'age' was removed by step 0" },
    ]);
  });

  it('should check one-hot columns after fitting', async () => {
    const fitted = await fitPipeline(
      bed.connection,
      source,
      [
        { op: 'encode', params: { columns: ['city'], method: 'onehot' } },
        { op: 'drop', params: { columns: ['city_c1'] } },
      ],
      SCHEMA,
    );
    expect(fitted.output.map((column) => column.name)).toEqual([
      'age',
      'income',
      'city_c0',
      'city_c2',
      'joined',
    ]);
    const issues = await asyncIssuesOf(() =>
      fitPipeline(
        bed.connection,
        source,
        [
          { op: 'encode', params: { columns: ['city'], method: 'onehot' } },
          { op: 'drop', params: { columns: ['city_c9'] } },
        ],
        SCHEMA,
      ),
    );
    expect(issues).toEqual([{ step: 1, field: 'columns[0]', message: "unknown column 'city_c9'" }]);
  });

  it('should count rows per step and block a majority drop unless confirmed', async () => {
    const fitted = await fitPipeline(
      bed.connection,
      source,
      [
        { op: 'drop_missing', params: { mode: 'rows', columns: ['age', 'income'] } },
        { op: 'drop_missing', params: { mode: 'rows', columns: ['city'] } },
        { op: 'drop_missing', params: { mode: 'column_threshold', threshold: 0 } },
      ],
      SCHEMA,
    );
    const report = await pipelineReport(bed.connection, fitted, source);
    // 40 rows; age missing for i % 4 = 0 (10), income for i % 10 = 0 (4, 2 not already gone):
    // 28 left; city missing for i % 5 = 0 among those: i in 5,15,25,35 → 24 left.
    expect(report.steps.map((step) => step.rows)).toEqual([28, 24, 24]);
    expect(report.inputRows).toBe(40);
    expect(report.blocked).toBe(false);
    expect(report.warnings.map((warning) => warning.code)).toEqual(['rows_lost', 'rows_lost']);

    // Casting the city names to integers leaves city all missing: every row goes.
    const strict = await fitPipeline(
      bed.connection,
      source,
      [
        { op: 'cast', params: { columns: ['city'], to: 'integer' } },
        { op: 'drop_missing', params: { mode: 'rows', columns: ['city'] } },
      ],
      SCHEMA,
    );
    const blocked = await pipelineReport(bed.connection, strict, source);
    expect(blocked.outputRows).toBe(0);
    expect(blocked.blocked).toBe(true);
    expect(blocked.warnings.map((warning) => [warning.code, warning.blocking])).toEqual([
      ['rows_lost', false],
      ['empty_result', false],
      ['majority_rows_dropped', true],
    ]);
    const confirmed = await pipelineReport(bed.connection, strict, source, { confirmed: true });
    expect(confirmed.blocked).toBe(false);
  });

  it('should report a row a missing-row drop would remove as not scorable', async () => {
    const fitted = await fitPipeline(
      bed.connection,
      source,
      [
        { op: 'impute', params: { columns: ['income'], strategy: 'mean' } },
        { op: 'drop_missing', params: { mode: 'rows', columns: ['age'] } },
      ],
      SCHEMA,
    );
    expect(
      transformRow(fitted, { age: null, income: 3, city: 'c1', joined: '2020-01-01' }),
    ).toEqual({
      scorable: false,
      step: 1,
      reason: 'missing values in age',
    });
    // The mean of income = 1.5 i over the 36 rows with i % 10 != 0: 1.5 (780 - 60) / 36 = 30.
    expect(
      transformRow(fitted, { age: 30, income: null, city: 'c1', joined: '2020-01-01' }),
    ).toEqual({
      scorable: true,
      row: { age: 30, income: 30, city: 'c1', joined: '2020-01-01' },
    });
  });

  it('should report a row a filter removes as not scorable (expression language)', async () => {
    const fitted = await fitPipeline(
      bed.connection,
      source,
      [{ op: 'filter', params: { expression: 'age > 30' } }],
      SCHEMA,
    );
    expect(transformRow(fitted, { age: 25, income: 1, city: 'c1', joined: null })).toEqual({
      scorable: false,
      step: 0,
      reason: "the filter 'age > 30' excludes this row",
    });
    expect(transformRow(fitted, { age: 35, income: 1, city: 'c1', joined: null }).scorable).toBe(
      true,
    );
  });

  it('should not forward-fill or deduplicate a single row at prediction time', async () => {
    const fitted = await fitPipeline(
      bed.connection,
      source,
      [
        { op: 'impute', params: { columns: ['age'], strategy: 'ffill' } },
        { op: 'deduplicate', params: { columns: ['city'] } },
        { op: 'encode', params: { columns: ['city'], method: 'ordinal', unknownValue: -1 } },
      ],
      SCHEMA,
    );
    expect(fitted.steps.map((step) => step.trainingOnly)).toEqual([true, true, false]);
    expect(transformRow(fitted, { age: null, income: 1, city: 'zz', joined: null })).toEqual({
      scorable: true,
      row: { age: null, income: 1, city: -1, joined: null },
    });
  });
});
