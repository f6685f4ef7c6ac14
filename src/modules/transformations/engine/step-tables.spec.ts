import { quoteIdent } from '../../datasets/engine/formats';
import { fitPipeline } from './fit';
import { pipelineReport } from './report';
import { EngineTestBed, tableDifferences } from './spec-helpers';
import type { SourceRelation } from './source';
import { MAX_INLINED_STEPS, StepRelations, type StepTables } from './step-tables';
import type { ColumnSchema } from './values';

const SCHEMA: ColumnSchema[] = [
  { name: 'n', storageType: 'BIGINT', semanticType: 'integer' },
  { name: 'x', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 's', storageType: 'VARCHAR', semanticType: 'text' },
  { name: 'cat', storageType: 'VARCHAR', semanticType: 'categorical' },
  { name: 'd', storageType: 'DATE', semanticType: 'date' },
];

/** Every table made, by key; `made` lists the ones a run had to make, by their step count. */
class MapTables implements StepTables {
  private static instances = 0;
  private readonly prefix = `steps${(MapTables.instances += 1)}_`;
  private readonly names = new Map<string, string>();
  private readonly kept = new Set<string>();
  made: number[] = [];

  constructor(private readonly bed: EngineTestBed) {}

  name(key: string): string {
    let name = this.names.get(key);
    if (!name) {
      name = `${this.prefix}${this.names.size}`;
      this.names.set(key, name);
    }
    return name;
  }

  /** Keys asked for by earlier runs (`nextRun` starts a run). */
  private readonly askedEarlier = new Set<string>();
  private readonly askedNow = new Set<string>();

  nextRun(): void {
    for (const key of this.askedNow) this.askedEarlier.add(key);
    this.askedNow.clear();
    this.made = [];
  }

  askedBefore(key: string): boolean {
    this.askedNow.add(key);
    return this.askedEarlier.has(key);
  }

  use(key: string): Promise<boolean> {
    return Promise.resolve(this.kept.has(key));
  }

  async ensure(key: string, make: () => Promise<string>): Promise<void> {
    if (this.kept.has(key)) return;
    const select = await make();
    await this.bed.connection.run(`CREATE TABLE ${quoteIdent(this.name(key))} AS ${select}`);
    this.kept.add(key);
    const [, , steps] = JSON.parse(key) as [string, unknown, unknown[]];
    this.made.push(steps.length);
  }
}

// Window steps (ffill, deduplicate), row filters, learning steps before and after them.
const STEPS = [
  { op: 'impute', params: { columns: ['s'], strategy: 'ffill' } },
  { op: 'deduplicate', params: { columns: ['cat', 'n'] } },
  { op: 'impute', params: { columns: ['x'], strategy: 'median' } },
  { op: 'filter', params: { expression: 'x > -5 or n is null' } },
  { op: 'clip', params: { columns: ['x'], method: 'iqr' } },
  { op: 'scale', params: { columns: ['x', 'n'], method: 'robust' } },
  { op: 'encode', params: { columns: ['cat'], method: 'onehot' } },
  { op: 'derive', params: { name: 'z', expression: 'x * 2 + coalesce(n, 0)' } },
  { op: 'date_parts', params: { columns: ['d'], parts: ['year', 'month'] } },
];

describe('fitting and counting over kept step tables', () => {
  let bed: EngineTestBed;
  let source: SourceRelation;

  beforeAll(async () => {
    bed = await EngineTestBed.open();
    source = await bed.parquet(
      'data',
      `SELECT CAST(CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 37 % 23) - 8 END AS BIGINT) AS n,
              CASE WHEN i % 5 = 1 THEN NULL ELSE ((i * 7919) % 1000) / 37.0 - 9 END AS x,
              CASE WHEN i % 4 = 0 THEN NULL ELSE 'text ' || (i % 9) END AS s,
              ['a', 'b', 'c', NULL][1 + (i % 4)] AS cat,
              DATE '2020-01-01' + CAST(i * 13 AS INTEGER) AS d
       FROM range(300) t(i)`,
    );
  });
  afterAll(() => bed.close());

  /** One preview-like run: fit, count, read the result; the step counts of the tables made. */
  async function run(tables: MapTables, steps: unknown[]) {
    tables.nextRun();
    const fitted = await fitPipeline(bed.connection, source, steps, SCHEMA, { tables });
    const relations = new StepRelations(tables, source, fitted.input, fitted.steps);
    const report = await pipelineReport(bed.connection, fitted, source, { relations });
    const rows = await bed.rows(
      `SELECT * FROM ${await relations.from(fitted.steps.length)} ORDER BY __nml_row`,
      fitted.output,
    );
    return { fitted, report, rows, made: [...tables.made].sort((a, b) => a - b) };
  }

  it('should fit, count and transform exactly as the chain of common table expressions', async () => {
    const tables = new MapTables(bed);
    const plain = await fitPipeline(bed.connection, source, STEPS, SCHEMA);
    const plainReport = await pipelineReport(bed.connection, plain, source);
    const plainRows = await bed.duckDbOutput(plain, source);
    expect(plainReport.outputRows).toBeLessThan(plainReport.inputRows); // filter and dedupe did drop
    // the first run inlines every step, the second reads kept tables
    for (const expectedMade of [[], [4, 9]]) {
      const { fitted, report, rows, made } = await run(tables, STEPS);
      expect(made).toEqual(expectedMade);
      expect(fitted).toEqual(plain);
      expect(report).toEqual(plainReport);
      expect(tableDifferences(rows, plainRows, 0)).toEqual([]);
    }
  });

  it('should keep a table asked for again every few steps, and after an edit only later ones', async () => {
    expect(MAX_INLINED_STEPS).toBe(4); // the tables counted below follow from it
    const tables = new MapTables(bed);
    // first asked: nothing is kept
    expect((await run(tables, STEPS)).made).toEqual([]);
    // asked again: t4 (clip's input) would inline t0…t4, five steps, so it is kept; so is the
    // result t9 (t5…t9); every other relation is at most four steps from the source or t4
    expect((await run(tables, STEPS)).made).toEqual([4, 9]);
    expect((await run(tables, STEPS)).made).toEqual([]);
    // minmax, not standard: a mean over rows a window step reordered may differ in the last bit
    // between the two paths (summation order), which this test is not about
    const edited = STEPS.map((step, i) =>
      i === 5 ? { op: 'scale', params: { columns: ['x', 'n'], method: 'minmax' } } : step,
    );
    // the scale (step 5) is refitted on t4 plus one step; the result follows the edit: new, so
    // inlined the first time and kept the second
    const refit = await run(tables, edited);
    expect(refit.made).toEqual([]);
    expect(refit.fitted).toEqual(await fitPipeline(bed.connection, source, edited, SCHEMA));
    expect((await run(tables, edited)).made).toEqual([9]);
  });
});
