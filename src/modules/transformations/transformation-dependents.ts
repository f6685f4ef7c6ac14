import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DatasetDependents } from '../datasets/dataset-dependents';
import { TransformationRunsRepository } from './runs/transformation-runs.repository';

/** A running pipeline reads its version: deleting that version or dataset must wait (409). */
@Injectable()
export class TransformationDependents implements OnModuleInit {
  constructor(
    private readonly dependents: DatasetDependents,
    private readonly runs: TransformationRunsRepository,
  ) {}

  onModuleInit(): void {
    this.dependents.register(async (datasetId, versionId) =>
      (await this.runs.runningOn(datasetId, versionId)).map((run) => ({
        kind: 'transformation-run',
        id: run.id,
        name: `pipeline run on version ${run.parentVersionNumber} (running)`,
      })),
    );
  }
}
