import { Module } from '@nestjs/common';
import { AuditModule } from './core/audit/audit.module';
import { AppConfigModule } from './core/config';
import { DatabaseModule, StartupMigrations } from './core/database';
import { LoggingModule } from './core/logging/logging.module';
import { JobMetricsModule } from './core/metrics/metrics.module';
import { RedisModule } from './core/redis/redis.module';
import { ResilienceModule } from './core/resilience/resilience.module';
import { StorageModule } from './core/storage/storage.module';
import { JobsModule, JobsWorkerModule } from './core/jobs/jobs.module';
import { DatasetsWorkerModule } from './modules/datasets/datasets-worker.module';
import { TransformationsWorkerModule } from './modules/transformations/transformations-worker.module';
import { WorkerHeartbeat } from './core/jobs/worker-heartbeat';

/** The worker process: BullMQ processors and what they need, no HTTP. */
@Module({
  imports: [
    AppConfigModule,
    AuditModule,
    DatabaseModule,
    DatasetsWorkerModule,
    JobsModule,
    JobMetricsModule,
    JobsWorkerModule,
    LoggingModule,
    RedisModule,
    ResilienceModule,
    StorageModule,
    TransformationsWorkerModule,
  ],
  providers: [StartupMigrations, WorkerHeartbeat],
})
export class WorkerModule {}
