import type { ColumnProfile, DatasetProfile } from './profiler';
import { profileStory } from './profile-story';

const column = (name: string, over: Partial<ColumnProfile> = {}): ColumnProfile => ({
  name,
  storageType: 'DOUBLE',
  semanticType: 'float',
  count: 100,
  missing: 0,
  missingPct: 0,
  distinct: 100,
  distinctExact: true,
  distinctPct: 100,
  samples: [],
  ...over,
});

const matrix = (columns: string[], values: (number | null)[][]) => ({ columns, values });

function profile(over: Partial<DatasetProfile> = {}): DatasetProfile {
  const columns = over.columns ?? [column('a'), column('b')];
  const missingCells = columns.reduce((sum, c) => sum + c.missing, 0);
  return {
    rowCount: 100,
    columnCount: columns.length,
    missingCells,
    missingCellsPct: (100 * missingCells) / (100 * columns.length),
    duplicateRows: 0,
    duplicateRowsPct: 0,
    columns,
    correlations: {
      pearson: matrix([], []),
      spearman: { ...matrix([], []), rowsUsed: 0 },
      cramersV: matrix([], []),
    },
    alerts: [],
    story: [],
    settings: {
      exactDistinctMaxRows: 0,
      exactQuantileMaxValues: 0,
      spearmanMaxRows: 0,
      histogramBins: 20,
    },
    ...over,
  };
}

describe('profileStory', () => {
  it('should tell a clean table in a few sentences', () => {
    expect(profileStory(profile())).toEqual([
      '100 rows and 2 columns (2 decimal).',
      'Every cell has a value.',
      'No row repeats another.',
      'Nothing was flagged.',
    ]);
  });

  it('should name where values are missing, the worst columns first', () => {
    const columns = [
      column('a', { missing: 1, missingPct: 1 }),
      column('b', { missing: 30, missingPct: 30, semanticType: 'categorical' }),
      column('c', { missing: 5, missingPct: 5, semanticType: 'integer' }),
      column('d', { missing: 5, missingPct: 5, semanticType: 'integer' }),
      column('e', { semanticType: 'identifier' }),
    ];
    const [shape, missing] = profileStory(profile({ rowCount: 100, columns }));
    expect(shape).toBe(
      '100 rows and 5 columns (2 integer, 1 decimal, 1 categorical and 1 identifier).',
    );
    expect(missing).toBe(
      '41 cells are missing (8.2 % of all cells), most in b (30, 30 %), c (5, 5.0 %), d (5, 5.0 %) and 1 other column.',
    );
    const single = profileStory(profile({ columns: [column('x', { missing: 1, missingPct: 1 })] }));
    expect(single[1]).toBe('1 cell is missing (1.0 % of all cells), all in x (1, 1.0 %).');
  });

  it('should tell repeated rows, strong relationships both ways, and the alerts by severity', () => {
    const story = profileStory(
      profile({
        duplicateRows: 3,
        duplicateRowsPct: 3,
        correlations: {
          pearson: matrix(
            ['a', 'b', 'c'],
            [
              [1, -0.8, 0.2],
              [-0.8, 1, 0.95],
              [0.2, 0.95, 1],
            ],
          ),
          spearman: { ...matrix([], []), rowsUsed: 0 },
          cramersV: matrix(
            ['x', 'y'],
            [
              [1, 0.7],
              [0.7, 1],
            ],
          ),
        },
        alerts: [
          { type: 'skewed', severity: 'info', columns: ['a'], message: 'a is skewed' },
          { type: 'constant', severity: 'warning', columns: ['b'], message: 'b has one value' },
          { type: 'missing', severity: 'error', columns: ['c'], message: 'c is 60 % missing' },
          { type: 'zeros', severity: 'info', columns: ['b'], message: 'b is mostly 0' },
        ],
      }),
    );
    expect(story.slice(2)).toEqual([
      '3 rows (3.0 %) repeat an earlier row exactly.',
      'b and c rise together (Pearson r = 0.95).',
      'As a rises, b tends to fall (Pearson r = -0.80).',
      "x and y go together (Cramér's V = 0.70).",
      'Flagged below: 1 error, 1 warning and 2 notes; first of all, c is 60 % missing.',
    ]);
  });

  it('should tell when dates run, and lead the alerts with a warning when there is no error', () => {
    const columns = [
      column('joined', {
        semanticType: 'date',
        storageType: 'DATE',
        min: '2023-01-01',
        max: '2023-12-28',
      }),
      column('seen', {
        semanticType: 'datetime',
        storageType: 'TIMESTAMP',
        min: '2024-05-01 10:00:00',
        max: '2024-05-01 10:00:00',
      }),
    ];
    const story = profileStory(
      profile({
        columns,
        alerts: [{ type: 'zeros', severity: 'warning', columns: ['x'], message: 'x is 0' }],
      }),
    );
    expect(story).toContain('joined runs from 2023-01-01 to 2023-12-28.');
    expect(story).toContain('seen is always 2024-05-01 10:00:00.');
    expect(story[story.length - 1]).toBe('Flagged below: 1 warning; first of all, x is 0.');
  });

  it('should say when numeric columns are unrelated', () => {
    const story = profileStory(
      profile({
        correlations: {
          pearson: matrix(
            ['a', 'b'],
            [
              [1, null],
              [null, 1],
            ],
          ),
          spearman: { ...matrix([], []), rowsUsed: 0 },
          cramersV: matrix([], []),
        },
      }),
    );
    expect(story).toContain('No two numeric columns move together strongly (every |r| < 0.5).');
  });
});
