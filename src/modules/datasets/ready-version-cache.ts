import type { VersionRecord } from './dataset-versions.repository';
import type { DatasetRecord } from './datasets.repository';

/** How long a ready dataset/version pair is reused for reads without asking the database. */
export const READY_VERSION_TTL_MS = 3000;

interface Entry {
  dataset: DatasetRecord;
  version: VersionRecord;
  expires: number;
}

/**
 * A few seconds' memory of which ready version a user reads for a dataset, so that paging
 * through rows does not look the version up for every page. Only ready versions of active
 * datasets are kept (their typed content never changes); callers still read the dataset and use
 * the remembered version only while it is the dataset's current one, so a version made by the
 * worker or another API process is seen at once.
 */
export class ReadyVersionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = READY_VERSION_TTL_MS,
    private readonly maxEntries = 1000,
  ) {}

  get(
    scope: string,
    datasetId: string,
  ): { dataset: DatasetRecord; version: VersionRecord } | undefined {
    const key = `${scope}\u0000${datasetId}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(scope: string, dataset: DatasetRecord, version: VersionRecord): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear(); // cheap bound, rarely hit
    this.entries.set(`${scope}\u0000${dataset.id}`, {
      dataset,
      version,
      expires: Date.now() + this.ttlMs,
    });
  }

  forget(datasetId: string): void {
    for (const key of this.entries.keys())
      if (key.endsWith(`\u0000${datasetId}`)) this.entries.delete(key);
  }
}
