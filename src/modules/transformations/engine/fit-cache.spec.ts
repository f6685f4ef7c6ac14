import { fitPipeline, type Learned } from './fit';
import { EngineTestBed } from './spec-helpers';
import type { SourceRelation } from './source';
import type { ColumnSchema } from './values';

const SCHEMA: ColumnSchema[] = [
  { name: 'x', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 'city', storageType: 'VARCHAR', semanticType: 'categorical' },
];

class CountingCache {
  readonly entries = new Map<string, Learned>();
  hits = 0;

  get(key: string): Learned | undefined {
    const found = this.entries.get(key);
    if (found) this.hits += 1;
    return found;
  }

  set(key: string, learned: Learned): void {
    this.entries.set(key, learned);
  }
}

describe('fitPipeline with a fit cache', () => {
  let bed: EngineTestBed;
  let source: SourceRelation;

  beforeAll(async () => {
    bed = await EngineTestBed.open();
    source = await bed.parquet(
      'data',
      `SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS x,
              ['a', 'b', 'c'][1 + (i % 3)] AS city
       FROM range(200) t(i)`,
    );
  });
  afterAll(() => bed.close());

  const steps = [
    { op: 'impute', params: { columns: ['x'], strategy: 'median' } },
    { op: 'filter', params: { expression: 'x > 30' } },
    { op: 'scale', params: { columns: ['x'], method: 'standard' } },
    { op: 'encode', params: { columns: ['city'], method: 'onehot' } },
  ];

  it('should give the same fitted pipeline from the cache as without it', async () => {
    const cache = new CountingCache();
    const plain = await fitPipeline(bed.connection, source, steps, SCHEMA);
    const first = await fitPipeline(bed.connection, source, steps, SCHEMA, { cache });
    const second = await fitPipeline(bed.connection, source, steps, SCHEMA, { cache });
    expect(first).toEqual(plain);
    expect(second).toEqual(plain);
    expect(cache.hits).toBe(steps.length);
  });

  it('should refit only from the first changed step on', async () => {
    const cache = new CountingCache();
    await fitPipeline(bed.connection, source, steps, SCHEMA, { cache });
    const edited = [
      ...steps.slice(0, 2),
      { op: 'scale', params: { columns: ['x'], method: 'robust' } },
      steps[3],
    ];
    const refit = await fitPipeline(bed.connection, source, edited, SCHEMA, { cache });
    expect(cache.hits).toBe(2); // impute and filter reused; scale and what follows refitted
    expect(refit).toEqual(await fitPipeline(bed.connection, source, edited, SCHEMA));
    expect(refit.steps[2].state).not.toEqual(
      (await fitPipeline(bed.connection, source, steps, SCHEMA)).steps[2].state,
    );
  });
});
