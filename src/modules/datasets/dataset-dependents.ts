import { Injectable } from '@nestjs/common';

export interface DatasetDependent {
  /** What depends on the dataset, e.g. `model`, `transformation`, `dataset-version`. */
  kind: string;
  id: string;
  name?: string;
}

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

  register(finder: DependentsFinder): void {
    this.finders.push(finder);
  }

  async find(datasetId: string, versionId?: string): Promise<DatasetDependent[]> {
    const found = await Promise.all(this.finders.map((finder) => finder(datasetId, versionId)));
    return found.flat();
  }
}
