import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DatasetDependents } from './dataset-dependents';
import { DatasetDownloadsService } from './dataset-downloads.service';
import { DatasetMetrics } from './dataset-metrics';
import { DatasetProcessingService } from './dataset-processing.service';
import { DatasetRecordsService } from './dataset-records.service';
import { DatasetVersionsRepository } from './dataset-versions.repository';
import { DatasetsController } from './datasets.controller';
import { ProfiledDatasetMilestone, UploadedDatasetMilestone } from './datasets.milestones';
import { APP_CONFIG } from 'src/core/config';
import { DATASETS_OPTIONS, datasetsOptionsFrom } from './datasets.options';
import { DatasetsRepository } from './datasets.repository';
import { DatasetsService } from './datasets.service';
import { DuckDbService } from './duckdb.service';
import { DatasetJobs } from './jobs/dataset-jobs';
import { Dataset, DatasetSchema } from './schemas/dataset.schema';
import { DatasetVersion, DatasetVersionSchema } from './schemas/dataset-version.schema';
import { DatasetStorage } from './storage/dataset-storage';
import { ParquetCache } from './storage/parquet-cache';
import { RowPageReader } from './storage/row-pages';
import { DatasetUploadService } from './upload/dataset-upload.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Dataset.name, schema: DatasetSchema },
      { name: DatasetVersion.name, schema: DatasetVersionSchema },
    ]),
  ],
  controllers: [DatasetsController],
  providers: [
    { provide: DATASETS_OPTIONS, inject: [APP_CONFIG], useFactory: datasetsOptionsFrom },
    DatasetDependents,
    DatasetDownloadsService,
    DatasetMetrics,
    DatasetJobs,
    DatasetProcessingService,
    DatasetRecordsService,
    DatasetStorage,
    DatasetUploadService,
    DatasetVersionsRepository,
    DatasetsRepository,
    DatasetsService,
    DuckDbService,
    ParquetCache,
    ProfiledDatasetMilestone,
    RowPageReader,
    UploadedDatasetMilestone,
  ],
  // Transformations read versions and write derived ones (through DatasetRecordsService, never
  // the repositories) with the same storage and engine.
  exports: [
    DatasetDependents,
    DatasetProcessingService,
    DatasetRecordsService,
    DatasetStorage,
    DatasetsService,
    DuckDbService,
    ParquetCache,
  ],
})
export class DatasetsModule {}
