import { Injectable } from '@nestjs/common';

export interface DatasetDependent {
  /** What depends on the dataset, e.g. `model`, `transformation`, `dataset-version`. */
  kind: string;
  id: string;
  name?: string;
}

/** Cleans up another domain's records of a deleted dataset (or of one deleted version). */
export type DeletionHook = (datasetId: string, versionIds: string[]) => Promise<void>;

export type DependentsFinder = (
  datasetId: string,
  versionId?: string,
) => Promise<DatasetDependent[]>;

/**
 * Other domains register here what depends on a dataset (models trained on it, pipelines
 * reading it); a delete answers 409 listing them instead of breaking those resources.
 */
@Injectable()
export class DatasetDependents {
  private readonly finders: DependentsFinder[] = [];
  private readonly hooks: DeletionHook[] = [];

  register(finder: DependentsFinder): void {
    this.finders.push(finder);
  }

  /** Called after a dataset's or a version's metadata and objects are gone. */
  onDeleted(hook: DeletionHook): void {
    this.hooks.push(hook);
  }

  async deleted(datasetId: string, versionIds: string[]): Promise<void> {
    for (const hook of this.hooks) await hook(datasetId, versionIds);
  }

  async find(datasetId: string, versionId?: string): Promise<DatasetDependent[]> {
    const found = await Promise.all(this.finders.map((finder) => finder(datasetId, versionId)));
    return found.flat();
  }
}
