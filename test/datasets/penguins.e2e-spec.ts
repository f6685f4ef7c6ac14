import { readFileSync } from 'node:fs';
import type { ColumnProfile, DatasetProfile } from 'src/modules/datasets/engine/profiler';
import { newUser, type TestUser } from '../support/factories';
import { startDatasetsTestApp, type DatasetsTestApp } from './datasets-test-app';
import { newDataset } from './datasets-factories';

interface FixtureColumn {
  name: string;
  count: number;
  missing: number;
  distinct: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  skewness?: number;
  zeros?: number;
  negatives?: number;
  quantiles?: number[];
  topCategories?: Record<string, number>;
}
interface FixtureMatrix {
  columns: string[];
  values: number[][];
}

/**
 * Palmer penguins (CC0, from the Debian package r-cran-palmerpenguins) through upload and
 * profiling; every number is checked against pandas (scripts/fixtures/datasets_penguins_profile.py).
 */
describe('datasets: the Palmer penguins profile matches pandas', () => {
  const fixture = JSON.parse(
    readFileSync('test/fixtures/datasets/penguins-profile.json', 'utf8'),
  ) as {
    rowCount: number;
    columnCount: number;
    missingCells: number;
    duplicateRows: number;
    columns: FixtureColumn[];
    pearson: FixtureMatrix;
    spearman: FixtureMatrix;
    cramersV: FixtureMatrix;
  };
  let app: DatasetsTestApp;
  let user: TestUser;
  let profile: DatasetProfile;

  beforeAll(async () => {
    app = await startDatasetsTestApp();
    user = await newUser(app);
    const dataset = await newDataset(
      app,
      user,
      readFileSync('test/fixtures/datasets/penguins.csv') as unknown as string,
      {
        fileName: 'penguins.csv',
      },
    );
    if (dataset.status !== 'ready')
      throw new Error(`penguins did not process: ${JSON.stringify(dataset)}`);
    profile = (
      await app.http().get(`/api/v1/datasets/${dataset.id}/profile`).set(user.auth).expect(200)
    ).body as DatasetProfile;
  });
  afterAll(async () => {
    await app.close();
  });

  it('should count rows, columns, missing cells and duplicates as pandas does', () => {
    expect(profile).toMatchObject({
      rowCount: fixture.rowCount,
      columnCount: fixture.columnCount,
      missingCells: fixture.missingCells,
      duplicateRows: fixture.duplicateRows,
    });
  });

  it('should tell the profile in plain words from those numbers', () => {
    const worst = [...fixture.columns].sort((a, b) => b.missing - a.missing)[0];
    expect(profile.story).toEqual(
      expect.arrayContaining([
        `${fixture.rowCount} rows and ${fixture.columnCount} columns (3 integer, 2 decimal and 3 categorical).`,
        expect.stringContaining(`${fixture.missingCells} cells are missing`),
        expect.stringContaining(`most in ${worst.name} (${worst.missing},`),
        'No row repeats another.',
        'Nothing was flagged.',
      ]),
    );
  });

  it('should type the columns (NA as missing, string categoricals)', () => {
    expect(profile.columns.map((c: { semanticType: string }) => c.semanticType)).toEqual([
      'categorical',
      'categorical',
      'float',
      'float',
      'integer',
      'integer',
      'categorical',
      'integer',
    ]);
  });

  const column = (name: string): { expected: FixtureColumn; actual: ColumnProfile } => ({
    expected: fixture.columns.find((c) => c.name === name)!,
    actual: profile.columns.find((c) => c.name === name)!,
  });

  it.each([
    'species',
    'island',
    'bill_length_mm',
    'bill_depth_mm',
    'flipper_length_mm',
    'body_mass_g',
    'sex',
    'year',
  ])('should match pandas counts on column %s', (name) => {
    const { expected, actual } = column(name);
    expect(actual).toMatchObject({
      count: expected.count,
      missing: expected.missing,
      distinct: expected.distinct,
    });
  });

  it.each(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'year'])(
    'should match pandas statistics on numeric column %s',
    (name) => {
      const { expected, actual } = column(name);
      for (const key of ['min', 'max', 'mean', 'std', 'skewness'] as const) {
        expect(actual[key]).toBeCloseTo(expected[key]!, 9);
      }
      expect(actual).toMatchObject({ zeros: expected.zeros, negatives: expected.negatives });
      const q = actual.quantiles!;
      [q.p5, q.p25, q.p50, q.p75, q.p95].forEach((value, i) =>
        expect(value).toBeCloseTo(expected.quantiles![i], 9),
      );
      expect(actual.histogram!.reduce((sum, bin) => sum + bin.count, 0)).toBe(expected.count);
    },
  );

  it.each(['species', 'island', 'sex'])(
    'should match pandas value counts on categorical column %s',
    (name) => {
      const { expected, actual } = column(name);
      const counts = Object.fromEntries(actual.topCategories!.items.map((i) => [i.value, i.count]));
      expect(counts).toEqual(expected.topCategories);
      expect(actual.topCategories!.otherCount).toBe(0);
    },
  );

  it.each(['pearson', 'spearman', 'cramersV'] as const)(
    'should match pandas %s correlations',
    (kind) => {
      const expected = fixture[kind];
      const actual = profile.correlations[kind];
      expect(actual.columns).toEqual(expected.columns);
      expected.values.forEach((row, i) =>
        row.forEach((value, j) => expect(actual.values[i][j]).toBeCloseTo(value, 9)),
      );
    },
  );
});
