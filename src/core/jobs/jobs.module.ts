import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { MongooseModule } from '@nestjs/mongoose';
import { JobRetention } from './job-retention';
import { JobLog, JobLogSchema, JobRecord, JobRecordSchema } from './job.schema';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobsWorkerService } from './jobs-worker.service';
import { ProbeJobHandler } from './probe-job.handler';
import { WorkerPresence } from './worker-presence';

const models = MongooseModule.forFeature([
  { name: JobLog.name, schema: JobLogSchema },
  { name: JobRecord.name, schema: JobRecordSchema },
]);

/** Producer side, for the API and every domain that starts background work. */
@Global()
@Module({
  imports: [models],
  providers: [JobsRepository, JobsService, WorkerPresence],
  exports: [JobsService, WorkerPresence],
})
export class JobsModule {}

/** Consumer side, for the worker process: runs the handler of every job kind. */
@Module({
  imports: [DiscoveryModule, ScheduleModule.forRoot(), models],
  providers: [JobRetention, JobsRepository, JobsWorkerService, ProbeJobHandler],
})
export class JobsWorkerModule {}
