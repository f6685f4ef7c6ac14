import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { num, queryRows } from '../../datasets/engine/duckdb';
import { quoteIdent, quoteLiteral } from '../../datasets/engine/formats';
import { compareCells } from './compare';
import { PipelineValidationError } from './errors';
import type { StepIssue } from './errors';
import { stepCtes } from './pipeline-sql';
import { re2Pattern } from './regex';
import type { SourceRelation } from './source';
import { StepRelations, type StepTables } from './step-tables';
import { onehotName, sqlDouble } from './step-sql';
import type { FittedPipeline, FittedStep, Step, StepState } from './steps';
import {
  checkStep,
  integerColumn,
  isTrainingOnly,
  SchemaTracker,
  stepList,
  validatePipeline,
} from './validate';
import { cellFromDuckDb } from './values';
import type { CellValue, ColumnSchema } from './values';

/** One-hot encoding without maxCategories stops at this many indicator columns per column. */
export const MAX_ONEHOT_COLUMNS = 100;
const EPSILON = 2 ** -52;

/**
 * Runs aggregates over the table after the steps fitted so far: one scan, one row back. The table
 * is the last of a chain of common table expressions, or a kept step table with a few steps
 * inlined after it (resolved on the first query: steps that learn nothing never need it).
 */
class StepData {
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly relation:
      | { kind: 'ctes'; ctes: string[]; at: number }
      | { kind: 'tables'; relations: StepRelations; at: number },
  ) {}

  get table(): string {
    return `t${this.relation.at}`;
  }

  private async prefix(): Promise<string> {
    const { relation } = this;
    if (relation.kind === 'tables') {
      return `WITH t${relation.at} AS (SELECT * FROM ${await relation.relations.from(relation.at)})`;
    }
    return `WITH ${relation.ctes.join(', ')}`;
  }

  async aggregates(expressions: string[]): Promise<DuckDBValue[]> {
    const list = expressions.map((sql, i) => `${sql} AS a${i}`).join(', ');
    const [row] = await queryRows(
      this.connection,
      `${await this.prefix()} SELECT ${list} FROM ${this.table}`,
    );
    return expressions.map((_, i) => row[`a${i}`]);
  }

  async query(sql: string): Promise<Record<string, DuckDBValue>[]> {
    return queryRows(this.connection, `${await this.prefix()} ${sql}`);
  }
}

const asDouble = (name: string): string => `CAST(${quoteIdent(name)} AS DOUBLE)`;

function listNumbers(value: DuckDBValue): (number | null)[] {
  if (value === null || value === undefined) return [];
  return (value as unknown as { items: DuckDBValue[] }).items.map((item) => num(item));
}

/** sklearn's _handle_zeros_in_scale: a scale below 10 ε is treated as 1. */
function nonZeroScale(scale: number): number {
  return scale < 10 * EPSILON ? 1 : scale;
}

/** numpy.linspace(0, 1, n + 1) as sklearn's quantile binning computes it (via 0..100 / 100). */
function quantileLevels(nBins: number): number[] {
  const step = 100 / nBins;
  return Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 100 : i * step) / 100);
}

/** numpy.linspace(min, max, n + 1). */
function linspace(min: number, max: number, nBins: number): number[] {
  const step = (max - min) / nBins;
  return Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? max : i * step + min));
}

export interface Learned {
  state?: StepState;
  output?: ColumnSchema[];
}

/**
 * What a step learned, by the source and the steps up to it: a step fitted on the same data after
 * the same steps learns the same thing, so an interactive user editing step 5 does not pay for
 * refitting steps 1–4. The caller owns the cache and its bounds (and keys it per source).
 */
export interface FitCache {
  get(key: string): Learned | undefined;
  set(key: string, learned: Learned): void;
}

export interface FitOptions {
  cache?: FitCache;
  /** Keep each step's result as a table (see {@link StepTables}) instead of re-planning CTEs. */
  tables?: StepTables;
}

async function learn(
  data: StepData,
  step: Step,
  schema: ColumnSchema[],
  output: ColumnSchema[],
  issue: (field: string, message: string) => void,
): Promise<Learned> {
  const storageOf = (name: string) => schema.find((column) => column.name === name)!.storageType;
  switch (step.op) {
    case 'impute': {
      const { columns, strategy } = step.params;
      if (strategy === 'constant' || strategy === 'ffill') return {};
      const expressions = columns.map((name) => {
        const col = quoteIdent(name);
        if (strategy === 'mean') return `avg(${asDouble(name)})`;
        if (strategy === 'median') return `quantile_cont(${asDouble(name)}, 0.5)`;
        // sklearn's most_frequent breaks ties with the smallest value.
        return `(SELECT ${col} FROM ${data.table} WHERE ${col} IS NOT NULL GROUP BY ${col} ORDER BY count(*) DESC, ${col} ASC LIMIT 1)`;
      });
      const values = await data.aggregates(expressions);
      const fill: Record<string, CellValue> = {};
      columns.forEach((name, i) => {
        fill[name] =
          strategy === 'most_frequent'
            ? cellFromDuckDb(values[i], storageOf(name))
            : num(values[i]);
      });
      return { state: { fill } };
    }
    case 'scale': {
      const { columns, method } = step.params;
      const per = method === 'standard' ? 3 : method === 'minmax' ? 2 : 1;
      const expressions = columns.flatMap((name) => {
        const x = asDouble(name);
        if (method === 'standard') return [`avg(${x})`, `var_pop(${x})`, `count(${x})`];
        if (method === 'minmax') return [`min(${x})`, `max(${x})`];
        return [`quantile_cont(${x}, [0.25, 0.5, 0.75])`];
      });
      const values = await data.aggregates(expressions);
      const learned: Record<string, { center: number; scale: number; offset: number } | null> = {};
      columns.forEach((name, i) => {
        const v = values.slice(i * per, (i + 1) * per);
        if (method === 'standard') {
          const [mean, variance, count] = v.map(num);
          if (mean === null || variance === null || !count) return void (learned[name] = null);
          // sklearn's _is_constant_feature: a variance within rounding error of zero.
          const bound = count * EPSILON * variance + (count * mean * EPSILON) ** 2;
          learned[name] = {
            center: mean,
            scale: variance <= bound ? 1 : Math.sqrt(variance),
            offset: 0,
          };
        } else if (method === 'minmax') {
          const [min, max] = v.map(num);
          if (min === null || max === null) return void (learned[name] = null);
          const scale = 1 / nonZeroScale(max - min);
          learned[name] = { center: 0, scale, offset: 0 - min * scale };
        } else {
          const [q1, median, q3] = listNumbers(v[0]);
          if (q1 == null || median == null || q3 == null) return void (learned[name] = null);
          learned[name] = { center: median, scale: nonZeroScale(q3 - q1), offset: 0 };
        }
      });
      return { state: { columns: learned } };
    }
    case 'clip': {
      const { columns, method, k, threshold, low, high } = step.params;
      const expressions = columns.map((name) => {
        const x = asDouble(name);
        if (method === 'zscore') return `[avg(${x}), stddev_pop(${x})]`;
        const levels = method === 'iqr' ? [0.25, 0.75] : [low! / 100, high! / 100];
        return `quantile_cont(${x}, [${levels.map(sqlDouble).join(', ')}])`;
      });
      const values = await data.aggregates(expressions);
      const bounds: Record<string, { low: number; high: number } | null> = {};
      columns.forEach((name, i) => {
        const [a, b] = listNumbers(values[i]);
        if (a == null || b == null) return void (bounds[name] = null);
        if (method === 'iqr') bounds[name] = { low: a - k! * (b - a), high: b + k! * (b - a) };
        else if (method === 'zscore')
          bounds[name] = { low: a - threshold! * b, high: a + threshold! * b };
        else bounds[name] = { low: a, high: b };
      });
      return { state: { bounds } };
    }
    case 'bin': {
      const { columns, strategy, nBins } = step.params;
      const levels = quantileLevels(nBins);
      const expressions = columns.flatMap((name) => {
        const x = asDouble(name);
        const range = [`min(${x})`, `max(${x})`];
        if (strategy === 'equal_width') return range;
        return [...range, `quantile_cont(${x}, [${levels.map(sqlDouble).join(', ')}])`];
      });
      const values = await data.aggregates(expressions);
      const per = strategy === 'equal_width' ? 2 : 3;
      const edges: Record<string, number[] | null> = {};
      columns.forEach((name, i) => {
        const [min, max] = values.slice(i * per, i * per + 2).map(num);
        if (min === null || max === null) return void (edges[name] = null);
        // sklearn: a constant column gets one bin ([-inf, inf]; kept JSON-safe as [min, max]).
        if (min === max) return void (edges[name] = [min, max]);
        if (strategy === 'equal_width') return void (edges[name] = linspace(min, max, nBins));
        const quantiles = listNumbers(values[i * per + 2]) as number[];
        // sklearn drops bins narrower than 1e-8 (repeated quantiles).
        edges[name] = quantiles.filter((edge, j) => j === 0 || edge - quantiles[j - 1] > 1e-8);
      });
      return { state: { edges } };
    }
    case 'encode':
      return learnEncoding(data, step.params, schema, output, issue);
    case 'drop_missing': {
      if (step.params.mode !== 'column_threshold') return {};
      const names = step.params.columns ?? schema.map((column) => column.name);
      const values = (
        await data.aggregates(['count(*)', ...names.map((name) => `count(${quoteIdent(name)})`)])
      ).map(num);
      const total = values[0] ?? 0;
      const dropped = names.filter(
        (_, i) => total > 0 && (total - values[i + 1]!) / total > step.params.threshold!,
      );
      if (dropped.length === schema.length) issue('threshold', 'every column would be dropped');
      return {
        state: { dropped },
        output: schema.filter((column) => !dropped.includes(column.name)),
      };
    }
    case 'text': {
      if (step.params.action !== 'regex_replace') return {};
      try {
        await data.query(
          `SELECT regexp_matches('', ${quoteLiteral(re2Pattern(step.params.pattern!))})`,
        );
      } catch (error) {
        issue('pattern', `DuckDB (RE2) rejects the pattern: ${(error as Error).message}`);
      }
      return {};
    }
    case 'select':
    case 'drop':
    case 'rename':
    case 'cast':
    case 'filter':
    case 'deduplicate':
    case 'math':
    case 'date_parts':
    case 'derive':
      return {};
  }
}

async function learnEncoding(
  data: StepData,
  params: Extract<Step, { op: 'encode' }>['params'],
  schema: ColumnSchema[],
  staticOutput: ColumnSchema[],
  issue: (field: string, message: string) => void,
): Promise<Learned> {
  const columns: Record<
    string,
    { categories: CellValue[]; other?: CellValue[]; shares?: number[] }
  > = {};
  const [totalValue] = await data.aggregates(['count(*)']);
  const total = num(totalValue) ?? 0;
  const indicators = new Map<string, ColumnSchema[]>();
  for (const [i, name] of params.columns.entries()) {
    const storage = schema.find((column) => column.name === name)!.storageType;
    const col = quoteIdent(name);
    const rows = await data.query(
      `SELECT ${col} AS v, count(*) AS n FROM ${data.table} WHERE ${col} IS NOT NULL GROUP BY ${col}`,
    );
    const counted = rows
      .map((row) => ({ value: cellFromDuckDb(row.v, storage), count: num(row.n)! }))
      .sort((a, b) => compareCells(a.value, b.value));
    const categories = counted.map((entry) => entry.value);
    if (params.method === 'ordinal') columns[name] = { categories };
    else if (params.method === 'frequency') {
      columns[name] = { categories, shares: counted.map((entry) => entry.count / total) };
    } else {
      const max = params.maxCategories;
      if (max === undefined && categories.length > MAX_ONEHOT_COLUMNS) {
        issue(
          `columns[${i}]`,
          `column '${name}' has ${categories.length} categories; set maxCategories (at most ${MAX_ONEHOT_COLUMNS} indicator columns without it)`,
        );
      }
      let kept = categories;
      let other: CellValue[] | undefined;
      if (max !== undefined && categories.length > max) {
        // sklearn's _identify_infrequent: a stable ascending sort by count; all but the
        // max - 1 most frequent are infrequent (ties: the earlier category is infrequent).
        const order = counted
          .map((entry, j) => ({ count: entry.count, j }))
          .sort((a, b) => a.count - b.count || a.j - b.j);
        const infrequent = new Set(
          order.slice(0, categories.length - (max - 1)).map((entry) => entry.j),
        );
        kept = categories.filter((_, j) => !infrequent.has(j));
        other = categories.filter((_, j) => infrequent.has(j));
      }
      columns[name] = { categories: kept, ...(other ? { other } : {}) };
      const names = [
        ...kept.map((category) => onehotName(name, category)),
        ...(other ? [`${name}_other`] : []),
      ];
      indicators.set(name, names.map(integerColumn));
    }
  }
  if (params.method !== 'onehot') return { state: { columns } };
  // Indicator columns take the place of their source column.
  const output = schema.flatMap((column) => indicators.get(column.name) ?? [column]);
  const seen = new Set<string>();
  for (const column of output) {
    if (seen.has(column.name))
      issue('columns', `the one-hot column '${column.name}' would exist twice`);
    seen.add(column.name);
  }
  void staticOutput;
  return { state: { columns }, output };
}

/**
 * Validates, then fits each learning step on the output of the steps before it (one aggregate
 * query per learning step, over the SQL of the fitted steps so far or over kept step tables). Throws
 * PipelineValidationError with static issues, then with data-dependent ones (one-hot category
 * counts and names, RE2 patterns, columns known only after fitting).
 */
export async function fitPipeline(
  connection: DuckDBConnection,
  source: SourceRelation,
  steps: unknown,
  input: ColumnSchema[],
  options: FitOptions = {},
): Promise<FittedPipeline> {
  validatePipeline(steps, input);
  const prefix: Step[] = [];
  const issues: StepIssue[] = [];
  const tracker = new SchemaTracker(true);
  const fitted: FittedStep[] = [];
  const relations = options.tables
    ? new StepRelations(options.tables, source, input, fitted)
    : undefined;
  let schema = input;
  for (const [index, raw] of stepList(steps).entries()) {
    const checked = checkStep(raw, index, schema, tracker, issues);
    if (!checked) break; // a column known only after fitting is missing: later steps would cascade
    prefix.push(checked.step);
    const key = options.cache ? JSON.stringify([source.sql, input, prefix]) : '';
    let learned = options.cache?.get(key);
    if (!learned) {
      const data = new StepData(
        connection,
        relations
          ? { kind: 'tables', relations, at: index }
          : { kind: 'ctes', ctes: stepCtes(input, fitted, source), at: index },
      );
      const before = issues.length;
      const issue = (field: string, message: string): void =>
        void issues.push({ step: index, field, message });
      learned = await learn(data, checked.step, schema, checked.output, issue);
      if (issues.length === before) options.cache?.set(key, learned);
    }
    const output = learned.output ?? checked.output;
    fitted.push({
      ...checked.step,
      index,
      ...(learned.state ? { state: learned.state } : {}),
      trainingOnly: isTrainingOnly(checked.step),
      output,
    });
    tracker.advance(schema, output, index);
    schema = output;
  }
  if (issues.length > 0) throw new PipelineValidationError(issues);
  return { formatVersion: 1, input, output: schema, steps: fitted };
}
