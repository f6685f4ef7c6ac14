import type { ColumnSchema } from '../engine';
import { checkCompatibility } from './recipe-compatibility';

const col = (name: string, storageType: ColumnSchema['storageType']): ColumnSchema => ({
  name,
  storageType,
  semanticType: storageType === 'VARCHAR' ? 'categorical' : 'float',
});

describe('checkCompatibility', () => {
  const expected = [col('age', 'DOUBLE'), col('city', 'VARCHAR')];
  const steps = [
    { op: 'impute', params: { columns: ['age'], strategy: 'mean' } },
    { op: 'encode', params: { columns: ['city'], method: 'ordinal' } },
  ];

  it('should accept a dataset with the expected columns and more', () => {
    const result = checkCompatibility(steps, expected, [...expected, col('extra', 'BIGINT')]);
    expect(result).toMatchObject({ compatible: true, missingColumns: [], typeMismatches: [] });
  });

  it('should list missing columns and type mismatches and say so in words', () => {
    const result = checkCompatibility(steps, expected, [col('age', 'VARCHAR')]);
    expect(result.compatible).toBe(false);
    expect(result.missingColumns).toEqual(['city']);
    expect(result.typeMismatches).toEqual([
      { column: 'age', expected: 'DOUBLE', actual: 'VARCHAR' },
    ]);
    expect(result.explanation).toContain('missing column(s): city');
    expect(result.explanation).toContain('age is VARCHAR');
    expect(result.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^steps\[0\]/)]),
    );
  });

  it('should catch a step using a column the recipe schema did not list', () => {
    const result = checkCompatibility(
      [...steps, { op: 'drop', params: { columns: ['zip'] } }],
      expected,
      expected,
    );
    expect(result.compatible).toBe(false);
    expect(result.issues[0].field).toMatch(/^steps\[2\]/);
    expect(result.explanation).toContain('steps[2]');
  });
});
