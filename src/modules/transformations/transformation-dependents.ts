import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DatasetDependents } from '../datasets/dataset-dependents';
import { ReproductionsRepository } from './lineage/reproductions.repository';
import { PreviewSamples } from './preview/preview-samples';
import { TransformationRunsRepository } from './runs/transformation-runs.repository';

/**
 * A running pipeline reads its version: deleting that version or dataset must wait (409). Once a
 * version or dataset is deleted, the runs, reproductions and preview samples about it go too.
 */
@Injectable()
export class TransformationDependents implements OnModuleInit {
  constructor(
    private readonly dependents: DatasetDependents,
    private readonly runs: TransformationRunsRepository,
    private readonly reproductions: ReproductionsRepository,
    private readonly samples: PreviewSamples,
  ) {}

  onModuleInit(): void {
    this.dependents.register(async (datasetId, versionId) =>
      (await this.runs.runningOn(datasetId, versionId)).map((run) => ({
        kind: 'transformation-run',
        id: run.id,
        name: `pipeline run on version ${run.parentVersionNumber} (running)`,
      })),
    );
    this.dependents.onDeleted(async (_datasetId, versionIds) => {
      await this.runs.deleteForVersions(versionIds);
      await this.reproductions.deleteForVersions(versionIds);
      for (const id of versionIds) await this.samples.forget(id);
    });
  }
}
