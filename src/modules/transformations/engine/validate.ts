import type { DateOrder } from '../../datasets/engine/lexical-types';
import { compileExpression, ExpressionError } from './expression';
import type { CheckedExpression, ExprType } from './expression';
import { PipelineValidationError } from './errors';
import type { StepIssue } from './errors';
import { isPlainObject, ParamsReader } from './params';
import { missingGroups, regexIssues } from './regex';
import {
  BIN_STRATEGIES,
  CAST_TARGETS,
  CLIP_METHODS,
  DATE_PARTS,
  DROP_MISSING_MODES,
  ENCODE_METHODS,
  IMPUTE_STRATEGIES,
  MATH_FUNCTIONS,
  SCALE_METHODS,
  STEP_OPS,
  TEXT_ACTIONS,
} from './steps';
import type { CastTarget, DatePart, Step, StepOp } from './steps';
import type { CellValue, ColumnSchema, StorageType } from './values';

export interface ValidatedPipeline {
  steps: Step[];
  /** schemas[i] is the schema after step i (schemas.length === steps.length). */
  schemas: ColumnSchema[][];
}

/**
 * Tracks the schema through the pipeline: which columns exist, which step removed a column, and
 * (statically only) the prefixes of one-hot columns whose names are known only after fitting.
 */
export class SchemaTracker {
  readonly removedBy = new Map<string, number>();
  readonly pendingPrefixes: string[] = [];

  constructor(readonly exact: boolean) {}

  /** Records the columns of `before` missing from `after` as removed by `step`. */
  advance(before: ColumnSchema[], after: ColumnSchema[], step: number): void {
    const names = new Set(after.map((column) => column.name));
    for (const column of before) if (!names.has(column.name)) this.removedBy.set(column.name, step);
    for (const column of after) this.removedBy.delete(column.name);
  }
}

const NUMERIC: StorageType[] = ['BIGINT', 'DOUBLE'];
const CATEGORICAL: StorageType[] = ['VARCHAR', 'BIGINT', 'BOOLEAN'];
const TEMPORAL: StorageType[] = ['DATE', 'TIMESTAMP'];
const DATE_ORDERS: readonly DateOrder[] = ['day-first', 'month-first'];
const CAST_SOURCES: Record<CastTarget, StorageType[]> = {
  integer: ['BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR'],
  float: ['BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR'],
  boolean: ['BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR'],
  date: ['DATE', 'TIMESTAMP', 'VARCHAR'],
  datetime: ['DATE', 'TIMESTAMP', 'VARCHAR'],
  string: ['BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'VARCHAR'],
};
const TRAINING_ONLY_OPS: StepOp[] = ['filter', 'deduplicate'];

export function isTrainingOnly(step: Step): boolean {
  if (TRAINING_ONLY_OPS.includes(step.op)) return true;
  if (step.op === 'impute') return step.params.strategy === 'ffill';
  if (step.op === 'drop_missing') return step.params.mode !== 'column_threshold';
  return false;
}

export function numericColumn(name: string): ColumnSchema {
  return { name, storageType: 'DOUBLE', semanticType: 'float' };
}

export function integerColumn(name: string): ColumnSchema {
  return { name, storageType: 'BIGINT', semanticType: 'integer' };
}

/** Maps over the columns, replacing those in `names` with `replace(column)`. */
function replaceColumns(
  schema: ColumnSchema[],
  names: string[],
  replace: (column: ColumnSchema) => ColumnSchema,
): ColumnSchema[] {
  return schema.map((column) => (names.includes(column.name) ? replace(column) : column));
}

export function columnFromExprType(name: string, type: ExprType): ColumnSchema {
  switch (type) {
    case 'BIGINT':
      return integerColumn(name);
    case 'DOUBLE':
    case 'NULL':
      return numericColumn(name);
    case 'BOOLEAN':
      return { name, storageType: 'BOOLEAN', semanticType: 'boolean' };
    case 'DATE':
      return { name, storageType: 'DATE', semanticType: 'date' };
    case 'TIMESTAMP':
      return { name, storageType: 'TIMESTAMP', semanticType: 'datetime' };
    case 'VARCHAR':
      return { name, storageType: 'VARCHAR', semanticType: 'text' };
  }
}

function castColumn(column: ColumnSchema, to: CastTarget): ColumnSchema {
  const name = column.name;
  switch (to) {
    case 'integer':
      return integerColumn(name);
    case 'float':
      return numericColumn(name);
    case 'boolean':
      return { name, storageType: 'BOOLEAN', semanticType: 'boolean' };
    case 'date':
      return { name, storageType: 'DATE', semanticType: 'date' };
    case 'datetime':
      return { name, storageType: 'TIMESTAMP', semanticType: 'datetime' };
    case 'string':
      return column.storageType === 'VARCHAR'
        ? column
        : { name, storageType: 'VARCHAR', semanticType: 'categorical' };
  }
}

/** Compiles an expression, turning its issues into step issues on `field`. */
export function compileStepExpression(
  reader: ParamsReader,
  field: string,
  source: string,
  schema: ColumnSchema[],
  expect: 'boolean' | 'any',
): CheckedExpression | undefined {
  try {
    return compileExpression(source, schema, { expect });
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    for (const issue of error.issues) {
      reader.issue(field, `${issue.message} (at character ${issue.position})`);
    }
    return undefined;
  }
}

class StepChecker {
  constructor(
    readonly reader: ParamsReader,
    readonly schema: ColumnSchema[],
    readonly tracker: SchemaTracker,
  ) {}

  /** The column named at `field`, or undefined with an issue (unknown, or dropped earlier). */
  column(
    name: string,
    field: string,
    allowed?: StorageType[],
    what?: string,
  ): ColumnSchema | undefined {
    const column = this.schema.find((candidate) => candidate.name === name);
    if (!column) {
      if (!this.tracker.exact && this.tracker.pendingPrefixes.some((p) => name.startsWith(p))) {
        return undefined; // a one-hot column: known after fitting, checked then
      }
      const removed = this.tracker.removedBy.get(name);
      this.reader.issue(
        field,
        removed === undefined
          ? `unknown column '${name}'`
          : `column '${name}' was removed by step ${removed}`,
      );
      return undefined;
    }
    if (allowed && !allowed.includes(column.storageType)) {
      this.reader.issue(
        field,
        `column '${name}' is ${column.storageType} (${column.semanticType}); ${what ?? 'this step'} needs ${allowed.join(' or ')}`,
      );
      return undefined;
    }
    return column;
  }

  /** Reads and checks a list of column names; returns the list when every entry is usable. */
  columns(
    field: string,
    allowed?: StorageType[],
    what?: string,
    optional = false,
  ): string[] | undefined {
    const names = this.reader.stringList(field, { optional });
    if (!names) return undefined;
    const found = names.map((name, i) => this.column(name, `${field}[${i}]`, allowed, what));
    return found.every((column) => column !== undefined) ? names : undefined;
  }

  /** Names of new columns must not collide with existing ones. */
  newColumns(names: string[], field: string): void {
    for (const name of names) {
      if (this.schema.some((column) => column.name === name)) {
        this.reader.issue(field, `the new column '${name}' already exists`);
      }
    }
  }
}

type Checked = { step: Step; output: ColumnSchema[] } | undefined;

/** Parses one step and computes its output schema (for learned outputs: before learning). */
export function checkStep(
  raw: unknown,
  index: number,
  schema: ColumnSchema[],
  tracker: SchemaTracker,
  issues: StepIssue[],
): Checked {
  const before = issues.length;
  if (!isPlainObject(raw)) {
    issues.push({
      step: index,
      field: '',
      message: 'each step must be an object with op and params',
    });
    return undefined;
  }
  const op = raw.op;
  if (typeof op !== 'string' || !(STEP_OPS as readonly string[]).includes(op)) {
    issues.push({
      step: index,
      field: 'op',
      message: `unknown op ${JSON.stringify(op)}: one of ${STEP_OPS.join(', ')}`,
    });
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'op' && key !== 'params') {
      issues.push({ step: index, field: key, message: `unknown field '${key}' (use params)` });
    }
  }
  const params = raw.params ?? {};
  if (!isPlainObject(params)) {
    issues.push({ step: index, field: 'params', message: 'params must be an object' });
    return undefined;
  }
  const reader = new ParamsReader(params, index, issues);
  const checker = new StepChecker(reader, schema, tracker);
  const result = checkParams(op as StepOp, checker);
  reader.rejectUnknown();
  return issues.length === before ? result : undefined;
}

function checkParams(op: StepOp, c: StepChecker): Checked {
  const r = c.reader;
  const schema = c.schema;
  switch (op) {
    case 'select': {
      const columns = c.columns('columns');
      if (!columns) return undefined;
      const output = columns.map((name) => schema.find((column) => column.name === name)!);
      return { step: { op, params: { columns } }, output };
    }
    case 'drop': {
      const columns = c.columns('columns');
      if (!columns) return undefined;
      const output = schema.filter((column) => !columns.includes(column.name));
      if (output.length === 0) r.issue('columns', 'cannot drop every column');
      return { step: { op, params: { columns } }, output };
    }
    case 'rename':
      return checkRename(c);
    case 'cast': {
      const to = r.oneOf('to', CAST_TARGETS);
      const columns = c.columns('columns', to ? CAST_SOURCES[to] : undefined, `cast to ${to}`);
      let dateOrder: DateOrder | undefined;
      if ((to === 'date' || to === 'datetime') && r.has('dateOrder'))
        dateOrder = r.oneOf('dateOrder', DATE_ORDERS);
      else r.forbid('dateOrder', `when casting to ${to ?? 'anything but date or datetime'}`);
      if (!columns || !to || (r.has('dateOrder') && !dateOrder)) return undefined;
      const output = replaceColumns(schema, columns, (column) => castColumn(column, to));
      return { step: { op, params: { columns, to, ...(dateOrder ? { dateOrder } : {}) } }, output };
    }
    case 'filter': {
      const expression = r.string('expression');
      if (expression === undefined) return undefined;
      if (!compileStepExpression(r, 'expression', expression, schema, 'boolean')) return undefined;
      return { step: { op, params: { expression } }, output: schema };
    }
    case 'impute':
      return checkImpute(c);
    case 'drop_missing': {
      const mode = r.oneOf('mode', DROP_MISSING_MODES);
      const columns = c.columns('columns', undefined, undefined, true);
      let threshold: number | undefined;
      if (mode === 'rows') r.forbid('threshold', "with mode 'rows'");
      else threshold = r.number('threshold', { min: 0, max: 1 });
      if (!mode) return undefined;
      const params = {
        mode,
        ...(columns ? { columns } : {}),
        ...(threshold !== undefined ? { threshold } : {}),
      };
      return { step: { op, params }, output: schema };
    }
    case 'deduplicate': {
      const columns = c.columns('columns', undefined, undefined, true);
      return { step: { op, params: columns ? { columns } : {} }, output: schema };
    }
    case 'scale': {
      const method = r.oneOf('method', SCALE_METHODS);
      const columns = c.columns('columns', NUMERIC, 'scale');
      if (!columns || !method) return undefined;
      return {
        step: { op, params: { columns, method } },
        output: replaceColumns(schema, columns, (column) => numericColumn(column.name)),
      };
    }
    case 'encode':
      return checkEncode(c);
    case 'bin': {
      const strategy = r.oneOf('strategy', BIN_STRATEGIES);
      const nBins = r.number('nBins', { min: 2, max: 1000, integer: true });
      const columns = c.columns('columns', NUMERIC, 'bin');
      if (!columns || !strategy || nBins === undefined) return undefined;
      return {
        step: { op, params: { columns, strategy, nBins } },
        output: replaceColumns(schema, columns, (column) => integerColumn(column.name)),
      };
    }
    case 'math':
      return checkMath(c);
    case 'clip':
      return checkClip(c);
    case 'date_parts':
      return checkDateParts(c);
    case 'text':
      return checkText(c);
    case 'derive': {
      const name = r.string('name');
      const expression = r.string('expression');
      if (name === undefined || expression === undefined) return undefined;
      const checked = compileStepExpression(r, 'expression', expression, schema, 'any');
      if (!checked) return undefined;
      if (checked.type === 'NULL') r.issue('expression', 'the expression is always null');
      const column = columnFromExprType(name, checked.type);
      const exists = schema.some((existing) => existing.name === name);
      const output = exists
        ? schema.map((existing) => (existing.name === name ? column : existing))
        : [...schema, column];
      return { step: { op, params: { name, expression } }, output };
    }
  }
}

function checkRename(c: StepChecker): Checked {
  const r = c.reader;
  const mapping = r.raw('mapping');
  if (!isPlainObject(mapping) || Object.keys(mapping).length === 0) {
    r.issue('mapping', 'must be a non-empty object of old name → new name');
    return undefined;
  }
  const renamed = new Map<string, string>();
  for (const [from, to] of Object.entries(mapping)) {
    const field = `mapping.${from}`;
    if (typeof to !== 'string' || to.length === 0)
      r.issue(field, 'the new name must be a non-empty string');
    else if (c.column(from, field)) renamed.set(from, to);
  }
  const output = c.schema.map((column) => ({
    ...column,
    name: renamed.get(column.name) ?? column.name,
  }));
  const seen = new Set<string>();
  for (const column of output) {
    if (seen.has(column.name)) r.issue('mapping', `two columns would be named '${column.name}'`);
    seen.add(column.name);
  }
  return { step: { op: 'rename', params: { mapping: Object.fromEntries(renamed) } }, output };
}

function checkImpute(c: StepChecker): Checked {
  const r = c.reader;
  const strategy = r.oneOf('strategy', IMPUTE_STRATEGIES);
  const numericOnly = strategy === 'mean' || strategy === 'median';
  const columns = c.columns('columns', numericOnly ? NUMERIC : undefined, `impute ${strategy}`);
  let value: CellValue | undefined;
  if (strategy === 'constant') {
    if (!r.has('value')) r.issue('value', "is required with strategy 'constant'");
    value = r.raw('value') as CellValue;
    for (const name of columns ?? []) {
      const column = c.schema.find((candidate) => candidate.name === name)!;
      const problem = constantProblem(value, column.storageType);
      if (problem) r.issue('value', `${problem} for column '${name}' (${column.storageType})`);
    }
  } else r.forbid('value', `with strategy '${strategy}'`);
  if (!columns || !strategy) return undefined;
  const output = numericOnly
    ? replaceColumns(c.schema, columns, (column) => numericColumn(column.name))
    : c.schema;
  const params = { columns, strategy, ...(value !== undefined ? { value } : {}) };
  return { step: { op: 'impute', params }, output };
}

function constantProblem(value: unknown, storage: StorageType): string | undefined {
  switch (storage) {
    case 'BIGINT':
      return Number.isSafeInteger(value) ? undefined : 'must be a whole number';
    case 'DOUBLE':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'VARCHAR':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'DATE':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? undefined
        : "must be a date 'YYYY-MM-DD'";
    case 'TIMESTAMP':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)
        ? undefined
        : "must be a datetime 'YYYY-MM-DD HH:MM:SS'";
  }
}

function checkEncode(c: StepChecker): Checked {
  const r = c.reader;
  const method = r.oneOf('method', ENCODE_METHODS);
  const columns = c.columns('columns', CATEGORICAL, 'encode');
  let maxCategories: number | undefined;
  let unknownValue: null | -1 | undefined;
  if (method === 'onehot') {
    maxCategories = r.number('maxCategories', { min: 2, max: 1000, integer: true, optional: true });
  } else r.forbid('maxCategories', `with method '${method}'`);
  if (method === 'ordinal') {
    const raw = r.raw('unknownValue');
    if (raw !== undefined && raw !== null && raw !== -1)
      r.issue('unknownValue', 'must be null or -1');
    else unknownValue = raw ?? null;
  } else r.forbid('unknownValue', `with method '${method}'`);
  if (!columns || !method) return undefined;
  let output: ColumnSchema[];
  if (method === 'onehot') {
    c.tracker.pendingPrefixes.push(...columns.map((name) => `${name}_`));
    output = c.schema.filter((column) => !columns.includes(column.name));
  } else {
    output = replaceColumns(c.schema, columns, (column) =>
      method === 'ordinal' ? integerColumn(column.name) : numericColumn(column.name),
    );
  }
  const params = {
    columns,
    method,
    ...(maxCategories !== undefined ? { maxCategories } : {}),
    ...(method === 'ordinal' ? { unknownValue: unknownValue ?? null } : {}),
  };
  return { step: { op: 'encode', params }, output };
}

function checkMath(c: StepChecker): Checked {
  const r = c.reader;
  const fn = r.oneOf('fn', MATH_FUNCTIONS);
  const columns = c.columns('columns', NUMERIC, 'math');
  let log1p: boolean | undefined;
  let exponent: number | undefined;
  if (fn === 'log') log1p = r.boolean('log1p');
  else r.forbid('log1p', `with fn '${fn}'`);
  if (fn === 'power') exponent = r.number('exponent');
  else r.forbid('exponent', `with fn '${fn}'`);
  if (!columns || !fn) return undefined;
  const params = {
    columns,
    fn,
    ...(fn === 'log' ? { log1p: log1p ?? false } : {}),
    ...(exponent !== undefined ? { exponent } : {}),
  };
  return {
    step: { op: 'math', params },
    output: replaceColumns(c.schema, columns, (column) => numericColumn(column.name)),
  };
}

function checkClip(c: StepChecker): Checked {
  const r = c.reader;
  const method = r.oneOf('method', CLIP_METHODS);
  const columns = c.columns('columns', NUMERIC, 'clip');
  const params: Extract<Step, { op: 'clip' }>['params'] = {
    columns: columns ?? [],
    method: method ?? 'iqr',
  };
  if (method === 'iqr') params.k = r.number('k', { min: 0, optional: true }) ?? 1.5;
  else r.forbid('k', `with method '${method}'`);
  if (method === 'zscore')
    params.threshold = r.number('threshold', { min: 0, optional: true }) ?? 3;
  else r.forbid('threshold', `with method '${method}'`);
  if (method === 'percentiles') {
    params.low = r.number('low', { min: 0, max: 100 });
    params.high = r.number('high', { min: 0, max: 100 });
    if (params.low !== undefined && params.high !== undefined && params.low >= params.high) {
      r.issue('high', 'must be greater than low');
    }
  } else {
    r.forbid('low', `with method '${method}'`);
    r.forbid('high', `with method '${method}'`);
  }
  if (!columns || !method) return undefined;
  return {
    step: { op: 'clip', params },
    output: replaceColumns(c.schema, columns, (column) => numericColumn(column.name)),
  };
}

function checkDateParts(c: StepChecker): Checked {
  const r = c.reader;
  const columns = c.columns('columns', TEMPORAL, 'date_parts');
  const parts = r.stringList('parts');
  let ok = Boolean(columns && parts);
  parts?.forEach((part, i) => {
    if (!(DATE_PARTS as readonly string[]).includes(part)) {
      r.issue(`parts[${i}]`, `unknown part '${part}': one of ${DATE_PARTS.join(', ')}`);
      ok = false;
    }
  });
  if (!ok || !columns || !parts) return undefined;
  const added: ColumnSchema[] = [];
  for (const name of columns) {
    const column = c.schema.find((candidate) => candidate.name === name)!;
    for (const part of parts) {
      if ((part === 'hour' || part === 'minute') && column.storageType === 'DATE') {
        r.issue('parts', `'${part}' needs a datetime column; '${name}' is a date`);
      }
      added.push(integerColumn(`${name}_${part}`));
    }
  }
  c.newColumns(
    added.map((column) => column.name),
    'parts',
  );
  return {
    step: { op: 'date_parts', params: { columns, parts: parts as DatePart[] } },
    output: [...c.schema, ...added],
  };
}

function checkText(c: StepChecker): Checked {
  const r = c.reader;
  const action = r.oneOf('action', TEXT_ACTIONS);
  const columns = c.columns('columns', ['VARCHAR'], 'text');
  let pattern: string | undefined;
  let replacement: string | undefined;
  if (action === 'regex_replace') {
    pattern = r.string('pattern');
    const rawReplacement = r.raw('replacement');
    if (typeof rawReplacement !== 'string')
      r.issue('replacement', 'is required (a string, may be empty)');
    else replacement = rawReplacement;
    if (pattern !== undefined) {
      for (const message of regexIssues(pattern)) r.issue('pattern', message);
      if (replacement !== undefined) {
        for (const group of missingGroups(pattern, replacement)) {
          r.issue('replacement', `$${group} refers to a group the pattern does not have`);
        }
      }
    }
  } else {
    r.forbid('pattern', `with action '${action}'`);
    r.forbid('replacement', `with action '${action}'`);
  }
  if (!columns || !action) return undefined;
  let output = c.schema;
  if (action === 'length') {
    const added = columns.map((name) => integerColumn(`${name}_length`));
    c.newColumns(
      added.map((column) => column.name),
      'columns',
    );
    output = [...c.schema, ...added];
  }
  const params = {
    columns,
    action,
    ...(pattern !== undefined ? { pattern } : {}),
    ...(replacement !== undefined ? { replacement } : {}),
  };
  return { step: { op: 'text', params }, output };
}

/** Parses the step list itself; issues on the list use step -1 would confuse, so step 0. */
function stepList(steps: unknown): unknown[] {
  if (!Array.isArray(steps)) {
    throw new PipelineValidationError([{ step: 0, field: '', message: 'steps must be a list' }]);
  }
  return steps;
}

/**
 * Static check (no data): parses each step's params, follows the schema through the pipeline and
 * checks types. Columns created by one-hot encoding and columns a missing-share threshold may drop
 * are known only after fitting: they are checked by fitPipeline. Throws PipelineValidationError
 * listing every issue.
 */
export function validatePipeline(steps: unknown, input: ColumnSchema[]): ValidatedPipeline {
  const issues: StepIssue[] = [];
  const tracker = new SchemaTracker(false);
  const parsed: Step[] = [];
  const schemas: ColumnSchema[][] = [];
  let schema = input;
  stepList(steps).forEach((raw, index) => {
    const checked = checkStep(raw, index, schema, tracker, issues);
    // After an invalid step, keep going with the schema unchanged to report later issues too.
    const output = checked?.output ?? schema;
    if (checked) parsed.push(checked.step);
    tracker.advance(schema, output, index);
    schemas.push(output);
    schema = output;
  });
  if (issues.length > 0) throw new PipelineValidationError(issues);
  return { steps: parsed, schemas };
}

export { stepList };
