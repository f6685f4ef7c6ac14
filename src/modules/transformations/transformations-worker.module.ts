import { Module } from '@nestjs/common';
import { DatasetsWorkerModule } from '../datasets/datasets-worker.module';
import { ApplyPipelineHandler } from './jobs/apply-pipeline.handler';
import { PipelineApplyService } from './jobs/pipeline-apply.service';
import { ReproduceService } from './jobs/reproduce.service';
import { ReproduceVersionHandler } from './jobs/reproduce-version.handler';
import { ReproductionsRepository } from './lineage/reproductions.repository';
import { TransformationRunsRepository } from './runs/transformation-runs.repository';
import { TransformationsModels } from './transformations.models';

/** Transformations in the worker: the apply and reproduce job handlers. */
@Module({
  imports: [DatasetsWorkerModule, TransformationsModels],
  providers: [
    ApplyPipelineHandler,
    PipelineApplyService,
    ReproduceService,
    ReproduceVersionHandler,
    ReproductionsRepository,
    TransformationRunsRepository,
  ],
})
export class TransformationsWorkerModule {}
