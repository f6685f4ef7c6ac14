import type { ColumnSchema } from '../../../datasets/engine/typed-copy';
import { compileExpression, ExpressionError, type ExpressionIssue } from './index';

const COLUMNS: ColumnSchema[] = [
  { name: 'age', storageType: 'BIGINT', semanticType: 'integer' },
  { name: 'income', storageType: 'DOUBLE', semanticType: 'float' },
  { name: 'country', storageType: 'VARCHAR', semanticType: 'categorical' },
  { name: 'active', storageType: 'BOOLEAN', semanticType: 'boolean' },
  { name: 'born', storageType: 'DATE', semanticType: 'date' },
  { name: 'seen', storageType: 'TIMESTAMP', semanticType: 'datetime' },
  { name: 'first name', storageType: 'VARCHAR', semanticType: 'text' },
];

/** The issues an expression is rejected with (fails the test when it compiles). */
function issuesOf(
  source: string,
  options?: Parameters<typeof compileExpression>[2],
): ExpressionIssue[] {
  try {
    compileExpression(source, COLUMNS, options);
  } catch (error) {
    if (error instanceof ExpressionError) return error.issues;
    throw error;
  }
  throw new Error(`"${source}" compiled but should not have`);
}

describe('compileExpression errors', () => {
  describe('syntax', () => {
    it.each([
      ['age >', 5, 'The expression ends too early: a value is missing'],
      ['(age + 1', 8, 'Missing ")" to close the "(" at 0'],
      ['age + 1)', 7, 'Unbalanced ")": no "(" to close'],
      ["country = 'FR", 10, "String is not closed: missing '"],
      ['age # 2', 4, 'Unexpected character "#"'],
      ['age 5', 4, 'Found the number 5 after a complete expression: is an operator missing?'],
      ['1 < age < 5', 8, 'Comparisons cannot be chained: join them with "and"'],
      ['age is 5', 7, 'Expected "null" after "is"'],
      ['age in 1, 2', 7, 'Expected "(" to open the list after "in"'],
      ['age between 1 or 2', 14, 'Expected "and" but found the keyword "or"'],
      ['', 0, 'The expression is empty'],
      ['âge > 1', 0, 'Unexpected character "â"; write other column names in backquotes: `âge`'],
      ['12abc', 0, 'Malformed number "12a"'],
      ['`unclosed', 0, 'Quoted column name is not closed: missing `'],
      ['round(age,)', 10, 'Expected a value, a column or "(" but found ")"'],
      [
        'and > 1',
        0,
        'Unexpected keyword "and"; to use a column with this name, write it in backquotes: `and`',
      ],
    ])('should reject %j at %d', (source, position, message) => {
      expect(issuesOf(source)).toEqual([{ position, message }]);
    });
  });

  describe('columns', () => {
    it('should suggest the closest column for an unknown one', () => {
      expect(issuesOf('agee > 18')).toEqual([
        { position: 0, message: 'Unknown column agee; did you mean age?' },
      ]);
    });

    it('should suggest backquotes for a column whose name needs them', () => {
      expect(issuesOf("firstname = 'x'")).toEqual([
        { position: 0, message: 'Unknown column firstname; did you mean `first name`?' },
      ]);
    });

    it('should not suggest a column that is not close', () => {
      expect(issuesOf('zzzzzzzz > 1')).toEqual([
        { position: 0, message: 'Unknown column zzzzzzzz' },
      ]);
    });

    it('should match column names exactly, case included', () => {
      expect(issuesOf('AGE > 1')[0].message).toBe('Unknown column AGE; did you mean age?');
    });

    it('should read a backquoted name with spaces or a keyword as a column', () => {
      expect(compileExpression("`first name` = 'Ann'", COLUMNS).columns).toEqual(['first name']);
      expect(issuesOf('`between` = 1')[0].message).toBe('Unknown column `between`');
    });
  });

  describe('types', () => {
    it('should report every problem at once, in source order', () => {
      expect(
        issuesOf('agee + 1 > 2 and country + 1 = 3 and foo(income) and round(1, 2, 3) = 1'),
      ).toEqual([
        { position: 0, message: 'Unknown column agee; did you mean age?' },
        {
          position: 25,
          message:
            'The left side of "+" needs a number, got VARCHAR (use concat() to join strings)',
        },
        { position: 37, message: 'Unknown function foo(); did you mean floor()?' },
        { position: 53, message: 'round(x[, digits]) takes 1 to 2 arguments, got 3' },
      ]);
    });

    it.each([
      ["age = 'x'", 4, 'Cannot compare with "=": cannot mix BIGINT and VARCHAR'],
      ['active > 1', 7, 'Cannot compare with ">": cannot mix BOOLEAN and BIGINT'],
      ['not age', 0, '"not" needs BOOLEAN, got BIGINT'],
      ['age and active', 4, '"and" needs BOOLEAN, got BIGINT'],
      ['-country', 0, 'Unary "-" needs a number, got VARCHAR (use concat() to join strings)'],
      ['sqrt(country)', 0, 'sqrt() needs a number, got VARCHAR (use concat() to join strings)'],
      ['lower(age)', 0, 'lower() needs VARCHAR, got BIGINT'],
      ['year(income)', 0, 'year() needs DATE or TIMESTAMP, got DOUBLE'],
      ["age in (1, 'two')", 4, '"in": cannot mix BIGINT and VARCHAR'],
      ['coalesce(age, country)', 0, 'coalesce(): cannot mix BIGINT and VARCHAR'],
      ['round(income, age)', 14, "round()'s digits must be a whole number from -20 to 20"],
      ['round(income, 1.5)', 14, "round()'s digits must be a whole number from -20 to 20"],
      ['pow(age)', 0, 'pow(x, y) takes 2 arguments, got 1'],
      ['abs()', 0, 'abs(x) takes 1 argument, got 0'],
      ['1e999', 0, 'This number is too large for a DOUBLE'],
    ])('should reject %j at %d', (source, position, message) => {
      expect(issuesOf(source)).toEqual([{ position, message }]);
    });

    it('should check date and timestamp literals against date columns', () => {
      expect(issuesOf("born > '2020-02-30'")).toEqual([
        { position: 7, message: "'2020-02-30' is not a valid date: no such day" },
      ]);
      expect(issuesOf("seen < '2020-01-01 25:00:00'")).toEqual([
        {
          position: 7,
          message: "'2020-01-01 25:00:00' is not a valid timestamp: no such time of day",
        },
      ]);
      expect(issuesOf("born = 'yesterday'")).toEqual([
        { position: 7, message: "'yesterday' is not a valid date: expected 'YYYY-MM-DD'" },
      ]);
    });

    it('should enforce what the caller expects', () => {
      expect(issuesOf('age + 1', { expect: 'boolean' })).toEqual([
        {
          position: 0,
          message: 'A condition must be true or false, but this expression is DOUBLE',
        },
      ]);
      expect(issuesOf('age > 1', { expect: 'numeric' })).toEqual([
        { position: 0, message: 'A number is needed, but this expression is BOOLEAN' },
      ]);
      expect(compileExpression('age > 1', COLUMNS, { expect: 'boolean' }).type).toBe('BOOLEAN');
    });
  });

  describe('result types', () => {
    it.each([
      ['age', 'BIGINT'],
      ['age + 1', 'DOUBLE'],
      ['-age', 'DOUBLE'],
      ['-5', 'BIGINT'],
      ['abs(age)', 'BIGINT'],
      ['floor(income)', 'DOUBLE'],
      ['round(age)', 'BIGINT'],
      ['round(age, 1)', 'DOUBLE'],
      ['length(country)', 'BIGINT'],
      ['year(born)', 'BIGINT'],
      ['coalesce(age, 1)', 'BIGINT'],
      ['coalesce(age, 1.5)', 'DOUBLE'],
      ['coalesce(born, seen)', 'TIMESTAMP'],
      ["coalesce(born, '2020-01-01')", 'DATE'],
      ['concat(age, active)', 'VARCHAR'],
      ['null', 'NULL'],
      ['age is null', 'BOOLEAN'],
    ])('should type %j as %s', (source, type) => {
      expect(compileExpression(source, COLUMNS).type).toBe(type);
    });

    it('should list the columns used in order of first use', () => {
      expect(
        compileExpression(
          'concat(income + age * income, `first name`, income)',
          COLUMNS.slice(0, 2).concat(COLUMNS[6]),
        ).columns,
      ).toEqual(['income', 'age', 'first name']);
    });
  });

  describe('limits', () => {
    it('should reject a source longer than the limit', () => {
      expect(issuesOf('age + 1', { maxLength: 5 })).toEqual([
        { position: 5, message: 'The expression is too long: 7 characters, at most 5' },
      ]);
      expect(issuesOf(`age + ${'1 + '.repeat(700)}1`)[0].message).toMatch(
        /too long: 2807 characters, at most 2000/,
      );
    });

    it('should reject deep nesting without exhausting the stack', () => {
      const parentheses = `${'('.repeat(5000)}age${')'.repeat(5000)}`;
      expect(issuesOf(parentheses, { maxLength: 20_000 })[0].message).toBe(
        'The expression is nested too deeply (more than 64 levels)',
      );
      const negations = `${'not '.repeat(5000)}active`;
      expect(issuesOf(negations, { maxLength: 30_000 })[0].message).toMatch(/nested too deeply/);
      const calls = `${'abs('.repeat(5000)}age${')'.repeat(5000)}`;
      expect(issuesOf(calls, { maxLength: 30_000 })[0].message).toMatch(/nested too deeply/);
      const chain = `age${' + 1'.repeat(100)}`;
      expect(issuesOf(chain)[0].message).toMatch(/nested too deeply/);
    });

    it('should accept long flat chains of and/or, which stay one level deep', () => {
      const source = Array.from({ length: 200 }, (_, i) => `age = ${i}`).join(' or ');
      expect(compileExpression(source, COLUMNS, { maxLength: 10_000 }).evaluate({ age: 150 })).toBe(
        true,
      );
    });
  });
});
