import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteLiteral } from '../../datasets/engine/formats';
import { fitPipeline } from './fit';
import { EngineTestBed, tableDifferences } from './spec-helpers';
import type { SourceRelation } from './source';
import { transformRows } from './transform-rows';
import type { ColumnSchema, Row } from './values';

/**
 * Both paths against scikit-learn 1.2 (scripts/transformations-fixtures/make_fixtures.py wrote
 * the dataset and the expected outputs).
 */
const FIXTURES = join(__dirname, '../../../../test/fixtures/transformations');

interface ReferenceCase {
  name: string;
  step: unknown;
  outputs: Record<string, (number | string | null)[]>;
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as {
  cases: ReferenceCase[];
};

const SCHEMA: ColumnSchema[] = [
  { name: 'age', storageType: 'BIGINT', semanticType: 'integer' },
  { name: 'income', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 'score', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 'visits', storageType: 'BIGINT', semanticType: 'integer' },
  { name: 'city', storageType: 'VARCHAR', semanticType: 'categorical' },
  { name: 'grade', storageType: 'VARCHAR', semanticType: 'categorical' },
  { name: 'signup', storageType: 'DATE', semanticType: 'date' },
];

describe('transformations engine against scikit-learn', () => {
  let bed: EngineTestBed;
  let source: SourceRelation;
  let inputRows: Row[];

  beforeAll(async () => {
    bed = await EngineTestBed.open();
    const types = SCHEMA.map((column) => `${quoteLiteral(column.name)}: '${column.storageType}'`);
    source = await bed.parquet(
      'mixed',
      `SELECT * FROM read_csv(${quoteLiteral(join(FIXTURES, 'mixed.csv'))}, header = true, auto_detect = false, columns = {${types.join(', ')}})`,
    );
    inputRows = await bed.sourceRows(source, SCHEMA);
  });

  afterAll(() => bed.close());

  it('should read the whole fixture dataset', () => {
    expect(inputRows).toHaveLength(300);
  });

  it.each(reference.cases.map((c) => [c.name, c] as const))(
    'should match sklearn: %s',
    async (_, c) => {
      const fitted = await fitPipeline(bed.connection, source, [c.step], SCHEMA);
      const expected: Row[] = inputRows.map((_row, i) =>
        Object.fromEntries(Object.entries(c.outputs).map(([name, values]) => [name, values[i]])),
      );
      const pick = (rows: Row[]): Row[] =>
        rows.map((row) =>
          Object.fromEntries(Object.keys(c.outputs).map((name) => [name, row[name]])),
        );
      expect(tableDifferences(pick(await bed.duckDbOutput(fitted, source)), expected)).toEqual([]);
      expect(tableDifferences(pick(transformRows(fitted, inputRows)), expected)).toEqual([]);
    },
  );

  it('should produce exactly the one-hot columns sklearn produces, in place of the source column', async () => {
    const onehot = reference.cases.find((c) => c.name === 'onehot max 4')!;
    const fitted = await fitPipeline(bed.connection, source, [onehot.step], SCHEMA);
    expect(fitted.output.map((column) => column.name)).toEqual([
      'age',
      'income',
      'score',
      'visits',
      ...Object.keys(onehot.outputs),
      'grade',
      'signup',
    ]);
  });
});
