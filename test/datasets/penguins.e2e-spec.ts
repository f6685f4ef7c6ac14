import { readFileSync } from 'node:fs';
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
  let profile: Record<string, any>;

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
    expect(dataset.status).toBe('ready');
    profile = (
      await app.http().get(`/api/v1/datasets/${dataset.id}/profile`).set(user.auth).expect(200)
    ).body;
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

  it.each([
    'species',
    'island',
    'bill_length_mm',
    'bill_depth_mm',
    'flipper_length_mm',
    'body_mass_g',
    'sex',
    'year',
  ])('should match pandas on column %s', (name) => {
    const expected = fixture.columns.find((c) => c.name === name)!;
    const actual = profile.columns.find((c: { name: string }) => c.name === name);
    expect(actual).toMatchObject({
      count: expected.count,
      missing: expected.missing,
      distinct: expected.distinct,
    });
    for (const key of ['min', 'max', 'mean', 'std', 'skewness'] as const) {
      if (expected[key] !== undefined) expect(actual[key]).toBeCloseTo(expected[key]!, 9);
    }
    if (expected.zeros !== undefined)
      expect(actual).toMatchObject({ zeros: expected.zeros, negatives: expected.negatives });
    if (expected.quantiles) {
      const q = actual.quantiles;
      [q.p5, q.p25, q.p50, q.p75, q.p95].forEach((value: number, i: number) =>
        expect(value).toBeCloseTo(expected.quantiles![i], 9),
      );
      const histogramTotal = actual.histogram.reduce(
        (sum: number, bin: { count: number }) => sum + bin.count,
        0,
      );
      expect(histogramTotal).toBe(expected.count);
    }
    if (expected.topCategories) {
      const counts = Object.fromEntries(
        actual.topCategories.items.map((i: { value: string; count: number }) => [i.value, i.count]),
      );
      expect(counts).toEqual(expected.topCategories);
      expect(actual.topCategories.otherCount).toBe(0);
    }
  });

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
