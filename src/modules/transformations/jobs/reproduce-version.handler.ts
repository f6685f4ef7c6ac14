import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { HandlesJob, type JobContext, type JobHandler } from 'src/core/jobs';
import { ReproduceService } from './reproduce.service';

/** Worker side of `lineage.reproduce`; the outcome is stored on the reproduction record. */
@Injectable()
@HandlesJob('lineage.reproduce')
export class ReproduceVersionHandler implements JobHandler<'lineage.reproduce'> {
  constructor(private readonly service: ReproduceService) {}

  async handle(context: JobContext<'lineage.reproduce'>): Promise<{ reproduction: string }> {
    await context.checkpoint();
    let done: Awaited<ReturnType<ReproduceService['reproduce']>>;
    try {
      done = await this.service.reproduce(
        context.payload.reproductionId,
        (fraction, stage) => context.progress(fraction, stage),
        context.signal,
      );
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw new UnrecoverableError((error as Error).message);
    }
    if (!done) throw new UnrecoverableError('the reproduction request no longer exists');
    return {
      reproduction: `/api/v1/lineage/${done.datasetId}/reproductions/${context.payload.reproductionId}`,
    };
  }
}
