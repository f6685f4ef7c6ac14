import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { HandlesJob, type JobContext, type JobHandler } from 'src/core/jobs';
import { PipelineApplyService } from './pipeline-apply.service';

/**
 * Worker side of `transformation.apply`. Every failure is final for the job (the run is marked
 * failed with the reason and its objects removed); applying the same pipeline again starts a
 * fresh run. S3 hiccups are already retried by the storage client's resilience policy.
 */
@Injectable()
@HandlesJob('transformation.apply')
export class ApplyPipelineHandler implements JobHandler<'transformation.apply'> {
  constructor(private readonly apply: PipelineApplyService) {}

  async handle(
    context: JobContext<'transformation.apply'>,
  ): Promise<{ dataset: string; run: string }> {
    await context.checkpoint();
    let made: Awaited<ReturnType<PipelineApplyService['apply']>>;
    try {
      made = await this.apply.apply(
        context.payload.runId,
        (fraction, stage) => context.progress(fraction, stage),
        context.signal,
      );
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw new UnrecoverableError((error as Error).message);
    }
    if (!made) throw new UnrecoverableError('the transformation run no longer exists');
    return {
      dataset: `/api/v1/datasets/${made.datasetId}`,
      run: `/api/v1/transformations/runs/${context.payload.runId}`,
    };
  }
}
