import type { SourceRelation } from './source';
import type { FittedPipeline } from './steps';

/** The engine's own row-order column, present in every intermediate relation. */
export const ROW_ORDER_COLUMN = '__nml_row';

export interface PipelineSql {
  /** A full SELECT of the transformed table in the original row order (usable in COPY (...) TO). */
  select: string;
  /** stepSelects[i]: a full SELECT of the table after step i, in row order. */
  stepSelects: string[];
}

export function pipelineSql(fitted: FittedPipeline, source: SourceRelation): PipelineSql {
  void fitted;
  void source;
  throw new Error('pipelineSql: not implemented yet');
}
