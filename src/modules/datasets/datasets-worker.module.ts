import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DatasetProcessingService } from './dataset-processing.service';
import { DatasetRecordsService } from './dataset-records.service';
import { DatasetVersionsRepository } from './dataset-versions.repository';
import { APP_CONFIG } from 'src/core/config';
import { DATASETS_OPTIONS, datasetsOptionsFrom } from './datasets.options';
import { DuckDbService } from './duckdb.service';
import { ProcessDatasetHandler } from './jobs/process-dataset.handler';
import { DatasetVersion, DatasetVersionSchema } from './schemas/dataset-version.schema';
import { Dataset, DatasetSchema } from './schemas/dataset.schema';
import { DatasetsRepository } from './datasets.repository';
import { DatasetStorage } from './storage/dataset-storage';
import { ParquetCache } from './storage/parquet-cache';

/** The datasets domain in the worker process: the `dataset.process` handler and what it needs. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Dataset.name, schema: DatasetSchema },
      { name: DatasetVersion.name, schema: DatasetVersionSchema },
    ]),
  ],
  providers: [
    { provide: DATASETS_OPTIONS, inject: [APP_CONFIG], useFactory: datasetsOptionsFrom },
    DatasetProcessingService,
    DatasetRecordsService,
    DatasetStorage,
    DatasetVersionsRepository,
    DatasetsRepository,
    DuckDbService,
    ParquetCache,
    ProcessDatasetHandler,
  ],
  // The transformations worker writes derived versions with the same storage, engine and cache.
  exports: [DatasetRecordsService, DatasetStorage, DuckDbService, ParquetCache],
})
export class DatasetsWorkerModule {}
