import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../../datasets/engine/formats';
import { openDuckDb, withConnection } from '../../datasets/engine/duckdb';
import { DATASETS_OPTIONS, type DatasetsOptions } from '../../datasets/datasets.options';
import { ParquetCache } from '../../datasets/storage/parquet-cache';
import type { VersionRecord } from '../../datasets/dataset-records.service';
import type { FitCache, Learned, PipelineCounts, Row, SourceRelation } from '../engine';
import { StepTableCache, type StepTableLease } from './step-table-cache';
import { TRANSFORMATIONS_OPTIONS, type TransformationsOptions } from '../transformations.options';

/** At most `limit` small values by key (cleared when full: cheap, rarely hit). */
export class BoundedMap<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
  }
}

/** What a fitted pipeline gave on a sample: its counts and first rows (by row limit). */
export interface PreviewResult {
  counts: PipelineCounts;
  rows: Row[];
}

export interface PreviewSample {
  source: SourceRelation;
  /** What steps learned on this sample, reused while a user edits later steps. */
  fits: FitCache;
  /** Results of fitted pipelines on this sample: a pipeline previewed again costs no query. */
  results: BoundedMap<PreviewResult>;
  /** Rows in the sample table. */
  rows: number;
  /** Rows of the version. */
  totalRows: number;
  sampled: boolean;
  /** How the sample was drawn, in words, for the preview answer. */
  method: string;
  /** Previews running on it now: a forgotten sample's table is dropped when the last one ends. */
  users: number;
  forgotten: boolean;
}

const ROW_COLUMN = '__nml_source_row';

/**
 * Previews run on an in-memory DuckDB table per version: the whole version when it is small, a
 * systematic sample (every k-th row, so it is deterministic, spread over the whole file and keeps
 * the row order) when it is large. Loading it once and keeping the most recently used ones is
 * what makes repeated previews answer in milliseconds instead of re-reading Parquet each time.
 */
@Injectable()
export class PreviewSamples implements OnApplicationShutdown {
  private readonly tables = new Map<string, PreviewSample>();
  private readonly loading = new Map<string, Promise<PreviewSample>>();
  private instance?: Promise<DuckDBInstance>;
  private readonly steps: StepTableCache;

  constructor(
    private readonly cache: ParquetCache,
    @Inject(DATASETS_OPTIONS) private readonly datasets: DatasetsOptions,
    @Inject(TRANSFORMATIONS_OPTIONS) private readonly options: TransformationsOptions,
  ) {
    this.steps = new StepTableCache(options.previewStepCacheMb * 1024 * 1024);
  }

  /** The step tables one preview of `sample` on `connection` uses; release it when done. */
  stepTables(connection: DuckDBConnection, sample: PreviewSample): StepTableLease {
    return this.steps.lease(connection, sample.source.sql, sample.rows);
  }

  /**
   * The previews' own DuckDB database: one thread, because a preview is a handful of small
   * queries whose cost is mostly planning and scheduling, and spreading them over threads costs
   * more than it saves (measured: about 25 % slower with two); it also keeps previews from
   * competing with row pages and other work for the API's main database.
   */
  database(): Promise<DuckDBInstance> {
    this.instance ??= (async () => {
      const tempDirectory = join(this.datasets.scratchDir, 'preview-spill');
      await mkdir(tempDirectory, { recursive: true });
      return openDuckDb({ threads: 1, memoryLimit: '512MB', tempDirectory });
    })();
    return this.instance;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.instance) (await this.instance).closeSync();
  }

  /** The version's sample, held for one preview until {@link release}. */
  async acquire(version: VersionRecord): Promise<PreviewSample> {
    for (;;) {
      const sample = await this.sample(version);
      // Forgotten while it was loading (another version's load made room): load it again.
      if (sample.forgotten) continue;
      sample.users += 1;
      return sample;
    }
  }

  /** Ends a preview's hold on the sample; drops the table of a sample forgotten meanwhile. */
  async release(sample: PreviewSample): Promise<void> {
    sample.users -= 1;
    if (sample.forgotten && sample.users === 0) await this.dropSampleTable(sample);
  }

  private async sample(version: VersionRecord): Promise<PreviewSample> {
    const hit = this.tables.get(version.id);
    if (hit) {
      this.tables.delete(version.id);
      this.tables.set(version.id, hit); // most recently used last
      return hit;
    }
    let pending = this.loading.get(version.id);
    if (!pending) {
      pending = this.load(version).finally(() => this.loading.delete(version.id));
      this.loading.set(version.id, pending);
    }
    return pending;
  }

  private async load(version: VersionRecord): Promise<PreviewSample> {
    const path = await this.cache.path(version);
    const total = version.rowCount ?? 0;
    const every = Math.max(1, Math.ceil(total / this.options.previewSampleRows));
    // A name per load: the table of a forgotten sample may still be dropped after a new load.
    const table = quoteIdent(`preview_${version.id}_${randomBytes(4).toString('hex')}`);
    const instance = await this.database();
    const count = await withConnection(instance, async (connection) => {
      await connection.run(
        `CREATE OR REPLACE TABLE ${table} AS
         SELECT * EXCLUDE (file_row_number), file_row_number AS ${quoteIdent(ROW_COLUMN)}
         FROM read_parquet(${quoteLiteral(path)}, file_row_number = true)
         ${every > 1 ? `WHERE file_row_number % ${every} = 0` : ''}
         ORDER BY file_row_number`,
      );
      const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
      return Number(reader.getRows()[0][0]);
    });
    const sample: PreviewSample = {
      source: { sql: table, ordered: ROW_COLUMN },
      fits: new BoundedMap<Learned>(512),
      results: new BoundedMap<PreviewResult>(32),
      rows: count,
      totalRows: total,
      sampled: every > 1,
      method:
        every > 1
          ? `systematic sample: every ${every}th row of ${total} (${count} rows), in dataset order`
          : `all ${total} rows`,
      users: 0,
      forgotten: false,
    };
    this.tables.set(version.id, sample);
    await this.shrink(version.id);
    return sample;
  }

  private async shrink(keep: string): Promise<void> {
    for (const id of [...this.tables.keys()]) {
      if (this.tables.size <= this.options.previewCachedVersions) return;
      if (id !== keep) await this.forget(id);
    }
  }

  /**
   * Forgets a version's sample and its step tables (the version was deleted, or space is short);
   * tables a running preview reads are dropped when it ends.
   */
  async forget(versionId: string): Promise<void> {
    const sample = this.tables.get(versionId);
    if (!sample) return;
    this.tables.delete(versionId);
    sample.forgotten = true;
    await withConnection(await this.database(), async (connection) => {
      await this.steps.drop(connection, this.steps.forget(sample.source.sql));
    });
    if (sample.users === 0) await this.dropSampleTable(sample);
  }

  private async dropSampleTable(sample: PreviewSample): Promise<void> {
    await withConnection(await this.database(), (connection) =>
      connection.run(`DROP TABLE IF EXISTS ${sample.source.sql}`),
    );
  }
}
