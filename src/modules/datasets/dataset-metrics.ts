import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from 'src/core/metrics/metrics.service';
import { DatasetError } from './datasets.errors';
import type { StructureReport } from './engine/structure-validator';
import { ParquetCache } from './storage/parquet-cache';

/**
 * The datasets domain's figures on the API's /metrics: uploads by outcome and bytes received,
 * and this process's local Parquet cache. Labels stay bounded: an outcome is `stored` or the
 * problem code that refused the file (`error` for anything else), never a dataset or a user.
 */
@Injectable()
export class DatasetMetrics {
  private readonly uploads: Counter<'outcome'>;
  private readonly uploadBytes: Counter<'compression'>;

  constructor(metrics: MetricsService, cache: ParquetCache) {
    const registers = [metrics.registry];
    this.uploads = new Counter({
      name: 'narrativeml_dataset_uploads_total',
      help: 'Dataset uploads (new datasets and new versions) by outcome: stored, or the problem code that refused the file.',
      labelNames: ['outcome'],
      registers,
    });
    this.uploadBytes = new Counter({
      name: 'narrativeml_dataset_upload_bytes_total',
      help: 'Bytes of stored dataset uploads as received, by compression (none or gzip).',
      labelNames: ['compression'],
      registers,
    });
    new Gauge({
      name: 'narrativeml_dataset_cache_bytes',
      help: "Bytes of typed Parquet copies in this process's local cache (bounded by DATASET_CACHE_MAX_BYTES).",
      registers,
      collect() {
        this.set(cache.size.bytes);
      },
    });
    new Counter({
      name: 'narrativeml_dataset_cache_reads_total',
      help: "Reads of typed Parquet copies through this process's local cache: hit (local disk) or miss (downloaded from S3).",
      labelNames: ['result'],
      registers,
      collect() {
        // The cache counts for itself; the counter reports its totals when scraped.
        this.reset();
        this.inc({ result: 'hit' }, cache.reads.hit);
        this.inc({ result: 'miss' }, cache.reads.miss);
      },
    });
  }

  stored(structure: StructureReport): void {
    this.uploads.inc({ outcome: 'stored' });
    this.uploadBytes.inc({ compression: structure.compression ?? 'none' }, structure.byteCount);
  }

  refused(error: unknown): void {
    this.uploads.inc({ outcome: error instanceof DatasetError ? error.datasetCode : 'error' });
  }
}
