import { quoteIdent, quoteLiteral } from '../../datasets/engine/formats';
import { type CalendarStorage, parseCalendar } from '../../datasets/engine/calendar-dates';
import type { DateOrder } from '../../datasets/engine/lexical-types';
import {
  CALENDAR_DATE_PATTERN,
  CALENDAR_DATETIME_PATTERN,
  DATE_PATTERN,
  DATETIME_PATTERN,
  FALSE_WORDS,
  FLOAT_PATTERN,
  INT_PATTERN,
  TRUE_WORDS,
  WHITESPACE,
} from './cells';
import { compileExpression } from './expression';
import { re2Pattern, re2Replacement } from './regex';
import type {
  BinState,
  CastTarget,
  ClipState,
  DatePart,
  EncodeState,
  FittedStep,
  ImputeState,
  ScaleState,
} from './steps';
import type { CellValue, ColumnSchema, StorageType } from './values';

/** The engine's own row-order column, present in every intermediate relation. */
export const ROW_ORDER_COLUMN = '__nml_row';
const ROW = quoteIdent(ROW_ORDER_COLUMN);

/** A DOUBLE literal that DuckDB reads back bit for bit (a bare 0.1 would be a DECIMAL). */
export function sqlDouble(value: number): string {
  return `CAST('${String(value)}' AS DOUBLE)`;
}

export function sqlCell(value: CellValue, storage: StorageType): string {
  if (value === null) return `CAST(NULL AS ${storage})`;
  switch (storage) {
    case 'DOUBLE':
      return sqlDouble(Number(value));
    case 'BIGINT':
      return `CAST('${String(value)}' AS BIGINT)`;
    case 'BOOLEAN':
      return value ? 'TRUE' : 'FALSE';
    case 'DATE':
    case 'TIMESTAMP':
    case 'VARCHAR':
      return `CAST(${quoteLiteral(String(value))} AS ${storage})`;
  }
}

const WS_SQL = [...WHITESPACE].map((char) => `chr(${char.charCodeAt(0)})`).join(' || ');
const trimmed = (col: string): string => `trim(${col}, ${WS_SQL})`;
const asDouble = (col: string): string => `CAST(${col} AS DOUBLE)`;
const matches = (col: string, pattern: string): string =>
  `regexp_full_match(${col}, ${quoteLiteral(pattern)})`;

/** Text written as a calendar date (and time), day and month in `order`; null when it is none. */
function calendarSql(col: string, order: DateOrder, storage: CalendarStorage): string {
  const pattern = storage === 'DATE' ? CALENDAR_DATE_PATTERN : CALENDAR_DATETIME_PATTERN;
  return `CASE WHEN ${matches(col, pattern)} THEN ${parseCalendar(trimmed(col), order, storage, 'null')} END`;
}

/** cells.ts castCell in SQL. */
function castSql(col: string, from: StorageType, to: CastTarget, dateOrder?: DateOrder): string {
  switch (to) {
    case 'integer':
      if (from === 'VARCHAR')
        return `CASE WHEN ${matches(col, INT_PATTERN)} THEN TRY_CAST(${trimmed(col)} AS BIGINT) END`;
      if (from === 'DOUBLE')
        return `CASE WHEN ${col} >= -9223372036854775808.0::DOUBLE AND ${col} < 9223372036854775808.0::DOUBLE THEN CAST(trunc(${col}) AS BIGINT) END`;
      return `CAST(${col} AS BIGINT)`;
    case 'float':
      if (from === 'VARCHAR')
        return `CASE WHEN ${matches(col, FLOAT_PATTERN)} THEN TRY_CAST(${trimmed(col)} AS DOUBLE) END`;
      return asDouble(col);
    case 'boolean':
      if (from === 'VARCHAR') {
        const word = `lower(${trimmed(col)})`;
        const list = (words: string[]): string => words.map(quoteLiteral).join(', ');
        return `CASE WHEN ${word} IN (${list(TRUE_WORDS)}) THEN TRUE WHEN ${word} IN (${list(FALSE_WORDS)}) THEN FALSE END`;
      }
      if (from === 'BOOLEAN') return col;
      return `(${col} <> 0)`;
    case 'date':
      if (from === 'VARCHAR' && dateOrder) return calendarSql(col, dateOrder, 'DATE');
      if (from === 'VARCHAR')
        return `CASE WHEN ${matches(col, DATE_PATTERN)} THEN TRY_CAST(${trimmed(col)} AS DATE) END`;
      return `CAST(${col} AS DATE)`;
    case 'datetime':
      if (from === 'VARCHAR' && dateOrder) return calendarSql(col, dateOrder, 'TIMESTAMP');
      if (from === 'VARCHAR')
        // TIMESTAMPTZ applies a written offset (a TIMESTAMP cast drops it); DuckDB runs in UTC.
        return `CASE WHEN ${matches(col, DATETIME_PATTERN)} THEN CAST(TRY_CAST(${trimmed(col)} AS TIMESTAMPTZ) AS TIMESTAMP) END`;
      return `CAST(${col} AS TIMESTAMP)`;
    case 'string':
      return `CAST(${col} AS VARCHAR)`;
  }
}

const DATE_PART_SQL: Record<DatePart, (col: string) => string> = {
  year: (col) => `year(${col})`,
  month: (col) => `month(${col})`,
  day: (col) => `day(${col})`,
  day_of_week: (col) => `(isodow(${col}) - 1)`,
  hour: (col) => `hour(${col})`,
  minute: (col) => `minute(${col})`,
  quarter: (col) => `quarter(${col})`,
  day_of_year: (col) => `dayofyear(${col})`,
};

/** The value sklearn's KBinsDiscretizer bins: x + (1e-8 + 1e-5 |x|), then digitize on edges[1:]. */
export function binSql(col: string, edges: number[]): string {
  const x = asDouble(col);
  const shifted = `(${x} + (${sqlDouble(1e-8)} + ${sqlDouble(1e-5)} * abs(${x})))`;
  const inner = edges.slice(1).map((edge) => `CAST(${shifted} >= ${sqlDouble(edge)} AS BIGINT)`);
  return `CASE WHEN ${col} IS NULL THEN NULL ELSE least(${edges.length - 2}, ${inner.join(' + ')}) END`;
}

/** A SELECT list entry per output column; columns without a rule pass through. */
function project(
  output: ColumnSchema[],
  rules: Map<string, string>,
  from: string,
  tail = '',
): string {
  const list = output.map((column) => {
    const rule = rules.get(column.name);
    return rule === undefined ? quoteIdent(column.name) : `${rule} AS ${quoteIdent(column.name)}`;
  });
  return `SELECT ${[...list, ROW].join(', ')} FROM ${from}${tail}`;
}

/**
 * The SELECT that applies one fitted step to the relation `from` (which has the step's input
 * schema plus the row-order column).
 */
export function stepSql(step: FittedStep, input: ColumnSchema[], from: string): string {
  const rules = new Map<string, string>();
  const storageOf = (name: string): StorageType =>
    input.find((column) => column.name === name)!.storageType;
  switch (step.op) {
    case 'select':
    case 'drop':
      return project(step.output, rules, from);
    case 'rename': {
      const renamed = Object.entries(step.params.mapping);
      for (const [old, name] of renamed) rules.set(name, quoteIdent(old));
      return project(step.output, rules, from);
    }
    case 'cast':
      for (const name of step.params.columns)
        rules.set(
          name,
          castSql(quoteIdent(name), storageOf(name), step.params.to, step.params.dateOrder),
        );
      return project(step.output, rules, from);
    case 'filter': {
      const expression = compileExpression(step.params.expression, input, { expect: 'boolean' });
      return `SELECT * FROM ${from} WHERE (${expression.toSql()}) IS TRUE`;
    }
    case 'impute': {
      const state = step.state as ImputeState | undefined;
      for (const name of step.params.columns) {
        const col = quoteIdent(name);
        switch (step.params.strategy) {
          case 'ffill':
            rules.set(
              name,
              `last_value(${col} IGNORE NULLS) OVER (ORDER BY ${ROW} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
            );
            break;
          case 'constant':
            rules.set(
              name,
              `coalesce(${col}, ${sqlCell(step.params.value ?? null, storageOf(name))})`,
            );
            break;
          case 'mean':
          case 'median':
            rules.set(name, `coalesce(${asDouble(col)}, ${sqlCell(state!.fill[name], 'DOUBLE')})`);
            break;
          case 'most_frequent':
            rules.set(name, `coalesce(${col}, ${sqlCell(state!.fill[name], storageOf(name))})`);
        }
      }
      return project(step.output, rules, from);
    }
    case 'drop_missing': {
      const names = step.params.columns ?? input.map((column) => column.name);
      if (step.params.mode === 'column_threshold') return project(step.output, rules, from);
      if (step.params.mode === 'rows') {
        const present = names.map((name) => `${quoteIdent(name)} IS NOT NULL`).join(' AND ');
        return `SELECT * FROM ${from} WHERE ${present}`;
      }
      const missing = names
        .map((name) => `CAST(${quoteIdent(name)} IS NULL AS BIGINT)`)
        .join(' + ');
      return `SELECT * FROM ${from} WHERE CAST(${missing} AS DOUBLE) / ${sqlDouble(names.length)} <= ${sqlDouble(step.params.threshold!)}`;
    }
    case 'deduplicate': {
      const names = step.params.columns ?? input.map((column) => column.name);
      const keys = names.map(quoteIdent).join(', ');
      return `SELECT * FROM ${from} QUALIFY row_number() OVER (PARTITION BY ${keys} ORDER BY ${ROW}) = 1`;
    }
    case 'scale': {
      const state = step.state as ScaleState;
      for (const name of step.params.columns) {
        const learned = state.columns[name];
        const x = asDouble(quoteIdent(name));
        if (!learned) rules.set(name, 'CAST(NULL AS DOUBLE)');
        else if (step.params.method === 'minmax')
          rules.set(name, `(${x} * ${sqlDouble(learned.scale)} + ${sqlDouble(learned.offset)})`);
        else
          rules.set(name, `((${x} - ${sqlDouble(learned.center)}) / ${sqlDouble(learned.scale)})`);
      }
      return project(step.output, rules, from);
    }
    case 'encode':
      return encodeSql(step, input, from);
    case 'bin': {
      const state = step.state as BinState;
      for (const name of step.params.columns) {
        const edges = state.edges[name];
        rules.set(name, edges ? binSql(quoteIdent(name), edges) : 'CAST(NULL AS BIGINT)');
      }
      return project(step.output, rules, from);
    }
    case 'math':
      for (const name of step.params.columns) {
        const x = asDouble(quoteIdent(name));
        const { fn, log1p, exponent } = step.params;
        if (fn === 'log' && log1p) rules.set(name, `CASE WHEN ${x} > -1 THEN ln(1 + ${x}) END`);
        else if (fn === 'log') rules.set(name, `CASE WHEN ${x} > 0 THEN ln(${x}) END`);
        else if (fn === 'sqrt') rules.set(name, `CASE WHEN ${x} >= 0 THEN sqrt(${x}) END`);
        else {
          const power = `pow(${x}, ${sqlDouble(exponent!)})`;
          rules.set(name, `CASE WHEN isfinite(${power}) THEN ${power} END`);
        }
      }
      return project(step.output, rules, from);
    case 'clip': {
      const state = step.state as ClipState;
      for (const name of step.params.columns) {
        const bounds = state.bounds[name];
        const x = asDouble(quoteIdent(name));
        rules.set(
          name,
          bounds
            ? `CASE WHEN ${x} IS NULL THEN NULL ELSE least(greatest(${x}, ${sqlDouble(bounds.low)}), ${sqlDouble(bounds.high)}) END`
            : x,
        );
      }
      return project(step.output, rules, from);
    }
    case 'date_parts':
      for (const name of step.params.columns)
        for (const part of step.params.parts)
          rules.set(`${name}_${part}`, `CAST(${DATE_PART_SQL[part](quoteIdent(name))} AS BIGINT)`);
      return project(step.output, rules, from);
    case 'text':
      for (const name of step.params.columns) {
        const col = quoteIdent(name);
        switch (step.params.action) {
          case 'trim':
            rules.set(name, trimmed(col));
            break;
          case 'lower':
          case 'upper':
            rules.set(name, `${step.params.action}(${col})`);
            break;
          case 'regex_replace':
            rules.set(
              name,
              `regexp_replace(${col}, ${quoteLiteral(re2Pattern(step.params.pattern!))}, ${quoteLiteral(re2Replacement(step.params.replacement!))}, 'g')`,
            );
            break;
          case 'length':
            rules.set(`${name}_length`, `CAST(length(${col}) AS BIGINT)`);
        }
      }
      return project(step.output, rules, from);
    case 'derive': {
      const expression = compileExpression(step.params.expression, input, { expect: 'any' });
      const storage = step.output.find((column) => column.name === step.params.name)!.storageType;
      rules.set(step.params.name, `CAST(${expression.toSql()} AS ${storage})`);
      return project(step.output, rules, from);
    }
  }
}

function encodeSql(
  step: Extract<FittedStep, { op: 'encode' }>,
  input: ColumnSchema[],
  from: string,
): string {
  const state = step.state as EncodeState;
  const rules = new Map<string, string>();
  for (const name of step.params.columns) {
    const col = quoteIdent(name);
    const storage = input.find((column) => column.name === name)!.storageType;
    const learned = state.columns[name];
    const literal = (value: CellValue): string => sqlCell(value, storage);
    switch (step.params.method) {
      case 'onehot':
        learned.categories.forEach((category) => {
          rules.set(
            onehotName(name, category),
            `CAST(coalesce(${col} = ${literal(category)}, FALSE) AS BIGINT)`,
          );
        });
        if (learned.other) {
          // Known infrequent categories and unseen ones share the "other" column.
          const kept = learned.categories.map(literal).join(', ');
          rules.set(
            `${name}_other`,
            `CAST(${col} IS NOT NULL${kept ? ` AND ${col} NOT IN (${kept})` : ''} AS BIGINT)`,
          );
        }
        break;
      case 'ordinal': {
        const cases = learned.categories
          .map((category, i) => `WHEN ${col} = ${literal(category)} THEN ${i}`)
          .join(' ');
        const unknown = step.params.unknownValue === -1 ? '-1' : 'NULL';
        rules.set(
          name,
          `CAST(CASE WHEN ${col} IS NULL THEN NULL ${cases} ELSE ${unknown} END AS BIGINT)`,
        );
        break;
      }
      case 'frequency': {
        const cases = learned.categories
          .map(
            (category, i) =>
              `WHEN ${col} = ${literal(category)} THEN ${sqlDouble(learned.shares![i])}`,
          )
          .join(' ');
        rules.set(name, `CASE WHEN ${col} IS NULL THEN NULL ${cases} ELSE ${sqlDouble(0)} END`);
      }
    }
  }
  return project(step.output, rules, from);
}

/** The indicator column of one category: `<col>_<category>` (booleans as true/false). */
export function onehotName(column: string, category: CellValue): string {
  return `${column}_${String(category)}`;
}
