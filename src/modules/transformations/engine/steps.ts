import type { DateOrder } from '../../datasets/engine/lexical-types';
import type { CellValue, ColumnSchema } from './values';

/**
 * The pipeline steps, a discriminated union on `op`, each with its parameters in `params`.
 * README.md in this folder documents every step, its learned state and its null semantics.
 */

export const CAST_TARGETS = ['integer', 'float', 'boolean', 'date', 'datetime', 'string'] as const;
export type CastTarget = (typeof CAST_TARGETS)[number];

export const IMPUTE_STRATEGIES = ['mean', 'median', 'most_frequent', 'constant', 'ffill'] as const;
export type ImputeStrategy = (typeof IMPUTE_STRATEGIES)[number];

export const DROP_MISSING_MODES = ['rows', 'row_threshold', 'column_threshold'] as const;
export type DropMissingMode = (typeof DROP_MISSING_MODES)[number];

export const SCALE_METHODS = ['standard', 'minmax', 'robust'] as const;
export type ScaleMethod = (typeof SCALE_METHODS)[number];

export const ENCODE_METHODS = ['onehot', 'ordinal', 'frequency'] as const;
export type EncodeMethod = (typeof ENCODE_METHODS)[number];

export const BIN_STRATEGIES = ['equal_width', 'equal_frequency'] as const;
export type BinStrategy = (typeof BIN_STRATEGIES)[number];

export const MATH_FUNCTIONS = ['log', 'sqrt', 'power'] as const;
export type MathFunction = (typeof MATH_FUNCTIONS)[number];

export const CLIP_METHODS = ['iqr', 'zscore', 'percentiles'] as const;
export type ClipMethod = (typeof CLIP_METHODS)[number];

export const DATE_PARTS = [
  'year',
  'month',
  'day',
  'day_of_week',
  'hour',
  'minute',
  'quarter',
  'day_of_year',
] as const;
export type DatePart = (typeof DATE_PARTS)[number];

export const TEXT_ACTIONS = ['trim', 'lower', 'upper', 'regex_replace', 'length'] as const;
export type TextAction = (typeof TEXT_ACTIONS)[number];

export interface SelectStep {
  op: 'select';
  params: { columns: string[] };
}
export interface DropStep {
  op: 'drop';
  params: { columns: string[] };
}
export interface RenameStep {
  op: 'rename';
  /** Old name → new name. */
  params: { mapping: Record<string, string> };
}
export interface CastStep {
  op: 'cast';
  /**
   * `dateOrder` (with `to: 'date'` or `'datetime'`) reads text written as calendar dates
   * (31/12/2024, 1.2.2024 9:05, 12-31-2024 14:30:15) in that order; without it only ISO dates
   * and datetimes convert.
   */
  params: { columns: string[]; to: CastTarget; dateOrder?: DateOrder };
}
export interface FilterStep {
  op: 'filter';
  /** Keeps the rows where the boolean expression is true (false and null drop the row). */
  params: { expression: string };
}
export interface ImputeStep {
  op: 'impute';
  /** `value` only (and required) with strategy 'constant'. */
  params: { columns: string[]; strategy: ImputeStrategy; value?: CellValue };
}
export interface DropMissingStep {
  op: 'drop_missing';
  /** `columns` defaults to all; `threshold` (0..1) is required by the threshold modes. */
  params: { mode: DropMissingMode; columns?: string[]; threshold?: number };
}
export interface DeduplicateStep {
  op: 'deduplicate';
  /** `columns` defaults to all. The first row (in dataset order) of each group is kept. */
  params: { columns?: string[] };
}
export interface ScaleStep {
  op: 'scale';
  params: { columns: string[]; method: ScaleMethod };
}
export interface EncodeStep {
  op: 'encode';
  /**
   * onehot: `maxCategories` (≥ 2) caps the indicator columns, the rarest categories sharing one
   * `<col>_other` column (sklearn's max_categories / infrequent category).
   * ordinal: `unknownValue` is what an unseen category becomes: null (default) or -1.
   */
  params: {
    columns: string[];
    method: EncodeMethod;
    maxCategories?: number;
    unknownValue?: null | -1;
  };
}
export interface BinStep {
  op: 'bin';
  params: { columns: string[]; strategy: BinStrategy; nBins: number };
}
export interface MathStep {
  op: 'math';
  /** `log1p` only with log (log(1 + x)); `exponent` required by power. */
  params: { columns: string[]; fn: MathFunction; log1p?: boolean; exponent?: number };
}
export interface ClipStep {
  op: 'clip';
  /** iqr: `k` (default 1.5); zscore: `threshold` (default 3); percentiles: `low`, `high` in 0..100. */
  params: {
    columns: string[];
    method: ClipMethod;
    k?: number;
    threshold?: number;
    low?: number;
    high?: number;
  };
}
export interface DatePartsStep {
  op: 'date_parts';
  /** Adds `<col>_<part>` columns (BIGINT); the date column is kept. */
  params: { columns: string[]; parts: DatePart[] };
}
export interface TextStep {
  op: 'text';
  /**
   * regex_replace needs `pattern` (RE2-compatible subset, see README) and `replacement` ($1..$9
   * refer to groups, $0 to the match, $$ is a dollar). length adds a `<col>_length` column.
   */
  params: {
    columns: string[];
    action: TextAction;
    pattern?: string;
    replacement?: string;
  };
}
export interface DeriveStep {
  op: 'derive';
  /** A new (or replaced) column from an expression of the expression language. */
  params: { name: string; expression: string };
}

export type Step =
  | SelectStep
  | DropStep
  | RenameStep
  | CastStep
  | FilterStep
  | ImputeStep
  | DropMissingStep
  | DeduplicateStep
  | ScaleStep
  | EncodeStep
  | BinStep
  | MathStep
  | ClipStep
  | DatePartsStep
  | TextStep
  | DeriveStep;

export type StepOp = Step['op'];

export const STEP_OPS: readonly StepOp[] = [
  'select',
  'drop',
  'rename',
  'cast',
  'filter',
  'impute',
  'drop_missing',
  'deduplicate',
  'scale',
  'encode',
  'bin',
  'math',
  'clip',
  'date_parts',
  'text',
  'derive',
];

/** Learned per column by impute (mean/median/most_frequent; null when the column had no values). */
export interface ImputeState {
  fill: Record<string, CellValue>;
}
/** Learned by scale: out = (x - center) / scale (standard, robust) or x * scale + offset (minmax). */
export interface ScaleState {
  columns: Record<string, { center: number; scale: number; offset: number } | null>;
}
/** Learned by encode, per column: the sorted categories (onehot: the kept ones, plus `other`). */
export interface EncodeState {
  columns: Record<
    string,
    {
      categories: CellValue[];
      /** onehot: the categories folded into `<col>_other` (sklearn's infrequent categories). */
      other?: CellValue[];
      /** frequency: share of rows of each category, in the order of `categories`. */
      shares?: number[];
    }
  >;
}
/** Learned by bin: the bin edges per column (sklearn's bin_edges_; n_bins = edges - 1). */
export interface BinState {
  edges: Record<string, number[] | null>;
}
/** Learned by clip: the bounds per column (null when the column had no values). */
export interface ClipState {
  bounds: Record<string, { low: number; high: number } | null>;
}
/** Learned by drop_missing in column_threshold mode: the columns dropped. */
export interface DropMissingState {
  dropped: string[];
}

export type StepState =
  ImputeState | ScaleState | EncodeState | BinState | ClipState | DropMissingState;

/** One step of a fitted pipeline: the parsed step, what it learned, and the schema after it. */
export type FittedStep = Step & {
  index: number;
  state?: StepState;
  /** Applies to training data only; at prediction it either passes or reports the row unscorable. */
  trainingOnly: boolean;
  output: ColumnSchema[];
};

/** A fitted pipeline: plain JSON, stored and reused at prediction time. */
export interface FittedPipeline {
  formatVersion: 1;
  input: ColumnSchema[];
  output: ColumnSchema[];
  steps: FittedStep[];
}
