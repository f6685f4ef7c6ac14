import type { AutoMlOptions, AutoMlProgress, AutoMlResult } from '../automl/automl';
import {
  type AutoMlEstimate,
  type AutoMlRefusalReason,
  AutoMlRefusedError,
} from '../automl/errors';
import type { AutoMlTarget } from '../automl/problem-type';
import type { Column } from '../core/matrix';
import { TrainingAbortedError } from '../trees/types';

/** Index of the abort flag in the shared Int32Array (non-zero: abort). */
export const ABORT_FLAG_INDEX = 0;

/** What `runAutoMl` options survive structured cloning (no callbacks, no signal). */
export type PlainAutoMlOptions = Omit<AutoMlOptions, 'signal' | 'onProgress'>;

/** `workerData` of the AutoML worker: columns and target over SharedArrayBuffers. */
export interface AutoMlWorkerRequest {
  readonly columns: readonly Column[];
  readonly target: AutoMlTarget;
  readonly options: PlainAutoMlOptions;
  /** Shared Int32Array(1): the main thread stores 1 to abort. */
  readonly abortFlag: Int32Array;
}

/** The result as plain data, the model as `NMLA` bytes. */
export type AutoMlResultData = Omit<AutoMlResult, 'model'> & { readonly modelBytes: Uint8Array };

export type AutoMlWorkerMessage =
  | { readonly type: 'progress'; readonly progress: AutoMlProgress }
  | { readonly type: 'done'; readonly result: AutoMlResultData }
  | {
      readonly type: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
      /** AutoMlRefusedError's fields, so the main thread can rebuild it. */
      readonly refusal?: {
        readonly reason: AutoMlRefusalReason;
        readonly estimate: AutoMlEstimate;
      };
    };

/** An error as a message (structured cloning keeps neither class nor extra fields). */
export function errorMessage(error: unknown): AutoMlWorkerMessage {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    type: 'error',
    name: e.name,
    message: e.message,
    stack: e.stack,
    refusal:
      e instanceof AutoMlRefusedError ? { reason: e.reason, estimate: e.estimate } : undefined,
  };
}

/** The error a worker reported, as the class the in-thread run would have thrown. */
export function errorFromMessage(message: Extract<AutoMlWorkerMessage, { type: 'error' }>): Error {
  let error: Error;
  if (message.refusal) {
    error = new AutoMlRefusedError(
      message.refusal.reason,
      message.refusal.estimate,
      message.message,
    );
  } else if (message.name === 'TrainingAbortedError') {
    error = new TrainingAbortedError(message.message);
  } else if (message.name === 'RangeError') {
    error = new RangeError(message.message);
  } else {
    error = new Error(message.message);
    error.name = message.name;
  }
  if (message.stack) error.stack = message.stack;
  return error;
}
