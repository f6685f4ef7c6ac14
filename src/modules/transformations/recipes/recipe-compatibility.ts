import { type ColumnSchema, PipelineValidationError, validatePipeline } from '../engine';

export interface Compatibility {
  compatible: boolean;
  missingColumns: string[];
  typeMismatches: { column: string; expected: string; actual: string }[];
  issues: { field: string; message: string }[];
  explanation: string;
}

/**
 * Whether a recipe can run on a dataset: the columns it expects must exist with the same
 * storage type, and its steps must validate against the dataset's actual columns (which also
 * catches columns the recipe's schema did not list). Extra dataset columns are fine.
 */
export function checkCompatibility(
  steps: unknown[],
  expected: ColumnSchema[],
  actual: ColumnSchema[],
): Compatibility {
  const byName = new Map(actual.map((column) => [column.name, column]));
  const missingColumns = expected
    .filter((column) => !byName.has(column.name))
    .map((column) => column.name);
  const typeMismatches = expected.flatMap((column) => {
    const found = byName.get(column.name);
    return found && found.storageType !== column.storageType
      ? [{ column: column.name, expected: column.storageType, actual: found.storageType }]
      : [];
  });
  let issues: { field: string; message: string }[] = [];
  try {
    validatePipeline(steps, actual);
  } catch (error) {
    if (!(error instanceof PipelineValidationError)) throw error;
    issues = error.issues.map((issue) => ({
      field: issue.field ? `steps[${issue.step}].${issue.field}` : `steps[${issue.step}]`,
      message: issue.message,
    }));
  }
  const parts: string[] = [];
  if (missingColumns.length > 0) parts.push(`missing column(s): ${missingColumns.join(', ')}`);
  for (const m of typeMismatches)
    parts.push(`column ${m.column} is ${m.actual}, the recipe expects ${m.expected}`);
  if (issues.length > 0 && parts.length === 0)
    parts.push(issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
  const compatible = parts.length === 0;
  return {
    compatible,
    missingColumns,
    typeMismatches,
    issues,
    explanation: compatible
      ? 'The dataset has every column the recipe expects, with the expected types.'
      : `The recipe cannot run on this dataset: ${parts.join('; ')}.`,
  };
}
