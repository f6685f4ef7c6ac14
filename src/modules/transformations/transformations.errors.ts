import { AppError, type AppErrorOptions } from 'src/core/errors/app-error';
import type { ErrorKind } from 'src/core/errors/error-kind';
import type { PipelineValidationError, PipelineWarning } from './engine';

/** Stable codes of the transformations domain; the problem `type` slug is the code. */
export enum TransformationErrorCode {
  InvalidPipeline = 'pipeline-invalid',
  NeedsConfirmation = 'pipeline-needs-confirmation',
  RecipeReadOnly = 'recipe-read-only',
  RecipeNameTaken = 'recipe-name-taken',
  RecipeIncompatible = 'recipe-incompatible',
  UnknownUser = 'recipe-unknown-user',
  VersionNotReady = 'version-not-ready',
}

const KINDS: Record<TransformationErrorCode, { kind: ErrorKind; title: string }> = {
  [TransformationErrorCode.InvalidPipeline]: {
    kind: 'invalid',
    title: 'The pipeline is not valid',
  },
  [TransformationErrorCode.NeedsConfirmation]: {
    kind: 'unprocessable',
    title: 'The pipeline would drop most of the rows',
  },
  [TransformationErrorCode.RecipeReadOnly]: {
    kind: 'forbidden',
    title: 'This recipe is shared with you read-only',
  },
  [TransformationErrorCode.RecipeNameTaken]: {
    kind: 'conflict',
    title: 'You already have a recipe with this name',
  },
  [TransformationErrorCode.RecipeIncompatible]: {
    kind: 'unprocessable',
    title: 'The dataset does not have the columns the recipe expects',
  },
  [TransformationErrorCode.UnknownUser]: { kind: 'invalid', title: 'Unknown user' },
  [TransformationErrorCode.VersionNotReady]: {
    kind: 'conflict',
    title: 'The dataset version is not ready',
  },
};

export class TransformationError extends AppError {
  constructor(code: TransformationErrorCode, detail: string, options: AppErrorOptions = {}) {
    super(KINDS[code].kind, code, KINDS[code].title, detail, options);
  }
}

/** 400 naming every issue as `steps[i].field`, with the engine's issues as an extension. */
export function invalidPipeline(error: PipelineValidationError): TransformationError {
  return new TransformationError(TransformationErrorCode.InvalidPipeline, error.message, {
    errors: error.issues.map((issue) => ({
      field: issue.field ? `steps[${issue.step}].${issue.field}` : `steps[${issue.step}]`,
      message: issue.message,
    })),
    extensions: { issues: error.issues },
  });
}

/** 422 when the pipeline would drop more than half of the rows and the user did not confirm. */
export function needsConfirmation(warnings: PipelineWarning[]): TransformationError {
  const blocking = warnings.filter((warning) => warning.blocking);
  return new TransformationError(
    TransformationErrorCode.NeedsConfirmation,
    `${blocking.map((warning) => warning.message).join('; ')}. Send "confirm": true to apply it anyway.`,
    { extensions: { warnings } },
  );
}
