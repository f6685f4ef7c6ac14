import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DuckDBInstance } from '@duckdb/node-api';
import { DATASETS_OPTIONS, type DatasetsOptions } from './datasets.options';
import { openDuckDb } from './engine/duckdb';

/** One in-process DuckDB database per process, opened on first use. */
@Injectable()
export class DuckDbService implements OnApplicationShutdown {
  private instance?: Promise<DuckDBInstance>;

  constructor(@Inject(DATASETS_OPTIONS) private readonly options: DatasetsOptions) {}

  get(): Promise<DuckDBInstance> {
    this.instance ??= (async () => {
      const tempDirectory = join(this.options.scratchDir, 'duckdb-spill');
      await mkdir(tempDirectory, { recursive: true });
      return openDuckDb({
        threads: this.options.duckdbThreads,
        memoryLimit: this.options.duckdbMemoryLimit,
        tempDirectory,
      });
    })();
    return this.instance;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.instance) return;
    const instance = await this.instance.catch(() => undefined);
    instance?.closeSync();
  }
}
