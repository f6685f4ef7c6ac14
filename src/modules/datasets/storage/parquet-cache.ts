import { copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATASETS_OPTIONS, type DatasetsOptions } from '../datasets.options';
import { DatasetStorage, keysBesideSource } from './dataset-storage';

/** A version as the cache needs it: its id, and its source's key (the copy's key is beside it). */
export interface CachedVersion {
  id: string;
  source: { key: string };
}

interface Entry {
  path: string;
  bytes: number;
}

/**
 * A bounded least-recently-used cache of typed Parquet copies on local disk, per process: for the
 * rows endpoint and previews in the API, and in the worker for jobs that read a version another
 * job of the same worker has just written (a pipeline applied right after processing, or to the
 * result of another pipeline), which then need no download. Concurrent misses for one version share one download; eviction removes the
 * least recently used files until the total fits `cacheMaxBytes` (open readers keep their file
 * on Linux until they close it).
 */
@Injectable()
export class ParquetCache implements OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();
  private total = 0;
  private readonly dir: string;
  /** Reads since start: served from local disk, or not (downloaded, or waiting for a download). */
  readonly reads = { hit: 0, miss: 0 };

  constructor(
    private readonly storage: DatasetStorage,
    @Inject(DATASETS_OPTIONS) private readonly options: DatasetsOptions,
  ) {
    this.dir = join(options.scratchDir, 'parquet-cache', `${process.pid}`);
  }

  async onModuleInit(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }

  get size(): { files: number; bytes: number } {
    return { files: this.entries.size, bytes: this.total };
  }

  /** The local path of the version's Parquet copy, downloading it on a miss. */
  async path(version: CachedVersion): Promise<string> {
    const versionId = version.id;
    const key = keysBesideSource(version.source.key).parquet;
    const hit = this.entries.get(versionId);
    if (hit) {
      this.reads.hit += 1;
      this.entries.delete(versionId);
      this.entries.set(versionId, hit); // most recently used last
      return hit.path;
    }
    this.reads.miss += 1;
    let loading = this.pending.get(versionId);
    if (!loading) {
      loading = this.load(versionId, key).finally(() => this.pending.delete(versionId));
      this.pending.set(versionId, loading);
    }
    return (await loading).path;
  }

  /**
   * Gives `destination` the version's Parquet (downloading it on a miss) as a hard link, so the
   * caller's copy outlives an eviction and costs no copying.
   */
  async linkTo(version: CachedVersion, destination: string): Promise<void> {
    await linkOrCopy(await this.path(version), destination);
  }

  /**
   * Keeps a Parquet file this process has just written and stored as the version's typed copy
   * (hard-linked, so the caller may delete its own path).
   */
  async adopt(versionId: string, written: string): Promise<void> {
    if (this.entries.has(versionId) || this.pending.has(versionId)) return;
    await this.store(versionId, (partial) => linkOrCopy(written, partial));
  }

  async evict(versionId: string): Promise<void> {
    const entry = this.entries.get(versionId);
    if (!entry) return;
    this.entries.delete(versionId);
    this.total -= entry.bytes;
    await rm(entry.path, { force: true });
  }

  private load(versionId: string, key: string): Promise<Entry> {
    return this.store(versionId, (partial) => this.storage.downloadToFile(key, partial));
  }

  /** Fills a partial file, renames it into place and counts it in (then shrinks to the bound). */
  private async store(versionId: string, fill: (partial: string) => Promise<void>): Promise<Entry> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${versionId}.parquet`);
    const partial = `${path}.${randomBytes(4).toString('hex')}.part`;
    try {
      await fill(partial);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const entry = { path, bytes: (await stat(path)).size };
    this.entries.set(versionId, entry);
    this.total += entry.bytes;
    await this.shrink(versionId);
    return entry;
  }

  private async shrink(keep: string): Promise<void> {
    for (const [id, entry] of this.entries) {
      if (this.total <= this.options.cacheMaxBytes) return;
      if (id === keep) continue;
      this.entries.delete(id);
      this.total -= entry.bytes;
      await rm(entry.path, { force: true });
    }
  }
}

/** A hard link where the file system allows one (same device), else a copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
  }
}
