import {
  castCell,
  codePointLength,
  datePart,
  isMissing,
  mapCase,
  toNumber,
  trimWhitespace,
} from './cells';
import { compileExpression } from './expression';
import type { CheckedExpression } from './expression';
import { replaceAllLikeRe2 } from './regex';
import { onehotName } from './step-sql';
import type {
  BinState,
  ClipState,
  EncodeState,
  FittedPipeline,
  FittedStep,
  ImputeState,
  ScaleState,
} from './steps';
import type { CellValue, ColumnSchema, Row } from './values';

export type RowOutcome =
  { scorable: true; row: Row } | { scorable: false; reason: string; step: number };

const compiled = new WeakMap<FittedStep, CheckedExpression>();

function expressionOf(
  step: FittedStep & { params: { expression: string } },
  input: ColumnSchema[],
): CheckedExpression {
  let expression = compiled.get(step);
  if (!expression) {
    expression = compileExpression(step.params.expression, input, {
      expect: step.op === 'filter' ? 'boolean' : 'any',
    });
    compiled.set(step, expression);
  }
  return expression;
}

function inputOf(fitted: FittedPipeline, i: number): ColumnSchema[] {
  return i === 0 ? fitted.input : fitted.steps[i - 1].output;
}

/** Rebuilds a row with exactly the columns of `schema`, in order. */
function shape(schema: ColumnSchema[], values: Row): Row {
  const row: Row = {};
  for (const column of schema) row[column.name] = values[column.name] ?? null;
  return row;
}

/** The share of bins below x, as sklearn's KBinsDiscretizer (see binSql). */
function binOf(x: number, edges: number[]): number {
  const shifted = x + (1e-8 + 1e-5 * Math.abs(x));
  let bin = 0;
  for (let j = 1; j < edges.length; j++) if (shifted >= edges[j]) bin++;
  return Math.min(edges.length - 2, bin);
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Why a row would be dropped by a training-only row filter, or undefined when it stays. */
function dropReason(step: FittedStep, input: ColumnSchema[], row: Row): string | undefined {
  if (step.op === 'filter') {
    return expressionOf(step, input).evaluate(row) === true
      ? undefined
      : `the filter '${step.params.expression}' excludes this row`;
  }
  if (step.op !== 'drop_missing' || step.params.mode === 'column_threshold') return undefined;
  const names = step.params.columns ?? input.map((column) => column.name);
  const missing = names.filter((name) => isMissing(row[name]));
  if (step.params.mode === 'rows') {
    return missing.length > 0 ? `missing values in ${missing.join(', ')}` : undefined;
  }
  return missing.length / names.length <= step.params.threshold!
    ? undefined
    : `${missing.length} of ${names.length} values missing (more than ${step.params.threshold! * 100}%)`;
}

/** Applies one row-wise step (every step except deduplicate and forward fill). */
function applyRow(step: FittedStep, input: ColumnSchema[], row: Row): Row {
  const out: Row = { ...row };
  const storageOf = (name: string) => input.find((column) => column.name === name)!.storageType;
  switch (step.op) {
    case 'select':
    case 'drop':
    case 'filter':
    case 'drop_missing':
    case 'deduplicate':
      break;
    case 'rename':
      for (const [old, name] of Object.entries(step.params.mapping)) out[name] = row[old];
      break;
    case 'cast':
      for (const name of step.params.columns)
        out[name] = castCell(row[name], storageOf(name), step.params.to, step.params.dateOrder);
      break;
    case 'impute': {
      const state = step.state as ImputeState | undefined;
      for (const name of step.params.columns) {
        if (!isMissing(row[name])) continue;
        if (step.params.strategy === 'constant') out[name] = step.params.value ?? null;
        else if (step.params.strategy !== 'ffill') out[name] = state!.fill[name];
      }
      break;
    }
    case 'scale': {
      const state = step.state as ScaleState;
      for (const name of step.params.columns) {
        const x = toNumber(row[name]);
        const learned = state.columns[name];
        if (x === null || !learned) out[name] = null;
        else if (step.params.method === 'minmax') out[name] = x * learned.scale + learned.offset;
        else out[name] = (x - learned.center) / learned.scale;
      }
      break;
    }
    case 'encode':
      encodeRow(step, row, out);
      break;
    case 'bin': {
      const state = step.state as BinState;
      for (const name of step.params.columns) {
        const x = toNumber(row[name]);
        const edges = state.edges[name];
        out[name] = x === null || !edges ? null : binOf(x, edges);
      }
      break;
    }
    case 'math':
      for (const name of step.params.columns) {
        const x = toNumber(row[name]);
        const { fn, log1p, exponent } = step.params;
        if (x === null) out[name] = null;
        else if (fn === 'log' && log1p) out[name] = x > -1 ? Math.log(1 + x) : null;
        else if (fn === 'log') out[name] = x > 0 ? Math.log(x) : null;
        else if (fn === 'sqrt') out[name] = x >= 0 ? Math.sqrt(x) : null;
        else out[name] = finiteOrNull(Math.pow(x, exponent!));
      }
      break;
    case 'clip': {
      const state = step.state as ClipState;
      for (const name of step.params.columns) {
        const x = toNumber(row[name]);
        const bounds = state.bounds[name];
        out[name] = x === null || !bounds ? x : Math.min(Math.max(x, bounds.low), bounds.high);
      }
      break;
    }
    case 'date_parts':
      for (const name of step.params.columns)
        for (const part of step.params.parts) out[`${name}_${part}`] = datePart(row[name], part);
      break;
    case 'text':
      for (const name of step.params.columns) {
        const value = row[name];
        const text = isMissing(value) ? null : String(value);
        const target = step.params.action === 'length' ? `${name}_length` : name;
        out[target] = text === null ? null : textAction(step, text);
      }
      break;
    case 'derive':
      out[step.params.name] = expressionOf(step, input).evaluate(row);
      break;
  }
  return shape(step.output, out);
}

function textAction(step: Extract<FittedStep, { op: 'text' }>, text: string): CellValue {
  switch (step.params.action) {
    case 'trim':
      return trimWhitespace(text);
    case 'lower':
    case 'upper':
      return mapCase(text, step.params.action);
    case 'length':
      return codePointLength(text);
    case 'regex_replace':
      return replaceAllLikeRe2(text, step.params.pattern!, step.params.replacement!);
  }
}

function encodeRow(step: Extract<FittedStep, { op: 'encode' }>, row: Row, out: Row): void {
  const state = step.state as EncodeState;
  for (const name of step.params.columns) {
    const value = row[name];
    const learned = state.columns[name];
    const index = isMissing(value) ? -1 : learned.categories.indexOf(value);
    switch (step.params.method) {
      case 'onehot':
        learned.categories.forEach(
          (category, i) => (out[onehotName(name, category)] = i === index ? 1 : 0),
        );
        if (learned.other) out[`${name}_other`] = !isMissing(value) && index < 0 ? 1 : 0;
        break;
      case 'ordinal':
        out[name] = isMissing(value)
          ? null
          : index >= 0
            ? index
            : step.params.unknownValue === -1
              ? -1
              : null;
        break;
      case 'frequency':
        out[name] = isMissing(value) ? null : index >= 0 ? learned.shares![index] : 0;
    }
  }
}

/** Forward fill and deduplication, which need the rows before. */
function applyTable(step: FittedStep, input: ColumnSchema[], rows: Row[]): Row[] {
  if (step.op === 'deduplicate') {
    const names = step.params.columns ?? input.map((column) => column.name);
    const seen = new Set<string>();
    return rows.filter((row) => {
      const key = JSON.stringify(names.map((name) => (isMissing(row[name]) ? null : row[name])));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (step.op === 'impute' && step.params.strategy === 'ffill') {
    const last: Row = {};
    return rows.map((row) => {
      const out = { ...row };
      for (const name of step.params.columns) {
        if (isMissing(row[name])) out[name] = last[name] ?? null;
        else last[name] = row[name];
      }
      return out;
    });
  }
  return rows
    .filter((row) => dropReason(step, input, row) === undefined)
    .map((row) => applyRow(step, input, row));
}

/** The whole table in TypeScript, training-only steps included (parity tests, small data). */
export function transformRows(fitted: FittedPipeline, rows: Row[]): Row[] {
  let table = rows.map((row) => shape(fitted.input, row));
  fitted.steps.forEach((step, i) => {
    table = applyTable(step, inputOf(fitted, i), table);
  });
  return table;
}

/**
 * One row at prediction time: training-only steps do not change it (no forward fill, no
 * deduplication), but a row that a filter or a missing-row drop would remove is reported not
 * scorable, with the step and the reason.
 */
export function transformRow(fitted: FittedPipeline, row: Row): RowOutcome {
  let current = shape(fitted.input, row);
  for (const [i, step] of fitted.steps.entries()) {
    const input = inputOf(fitted, i);
    const reason = dropReason(step, input, current);
    if (reason !== undefined) return { scorable: false, reason, step: i };
    if (step.op === 'deduplicate' || (step.op === 'impute' && step.params.strategy === 'ffill')) {
      continue;
    }
    current = applyRow(step, input, current);
  }
  return { scorable: true, row: current };
}
