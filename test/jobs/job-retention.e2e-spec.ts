import { Test } from '@nestjs/testing';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG, AppConfigModule, loadConfiguration } from 'src/core/config';
import { DatabaseModule } from 'src/core/database';
import { JobRetention } from 'src/core/jobs/job-retention';
import { JobLog, JobLogSchema, JobRecord, JobRecordSchema } from 'src/core/jobs/job.schema';
import { JobsRepository } from 'src/core/jobs/jobs.repository';
import { loadServiceEnv } from '../support/service-env';
import { dropDatabase, uniqueName, withDatabase } from '../support/test-app';

@Module({
  imports: [
    AppConfigModule,
    DatabaseModule,
    MongooseModule.forFeature([
      { name: JobLog.name, schema: JobLogSchema },
      { name: JobRecord.name, schema: JobRecordSchema },
    ]),
  ],
  providers: [JobRetention, JobsRepository],
})
class RetentionTestModule {}

describe('job retention', () => {
  loadServiceEnv();
  const uri = withDatabase(process.env.MONGODB_URI!, uniqueName('ret'));

  afterAll(async () => {
    await dropDatabase(uri);
  });

  it('should delete finished jobs and their logs past the retention, and keep the rest', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RetentionTestModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(
        loadConfiguration({
          ...process.env,
          APP_PROFILE: 'test',
          MONGODB_URI: uri,
          JOBS_RETENTION_DAYS: '7',
        }),
      )
      .compile();
    await moduleRef.init();
    try {
      const jobs = moduleRef.get(JobsRepository);
      const old = new Date(Date.now() - 8 * 24 * 3600 * 1000);
      const recent = new Date();
      const base = {
        ownerId: 'u1',
        kind: 'system.probe' as const,
        progress: 1,
        payload: {},
        attempts: 1,
        cancelRequested: false,
      };
      await jobs.insert({
        ...base,
        _id: 'old-done',
        state: 'completed',
        createdAt: old,
        finishedAt: old,
        updatedAt: old,
      });
      await jobs.insert({
        ...base,
        _id: 'recent-done',
        state: 'failed',
        createdAt: recent,
        finishedAt: recent,
        updatedAt: recent,
      });
      await jobs.insert({
        ...base,
        _id: 'old-running',
        state: 'active',
        createdAt: old,
        updatedAt: old,
      });
      await jobs.log('old-done', 'info', 'bye');
      expect(await moduleRef.get(JobRetention).sweep()).toBe(1);
      expect(await jobs.find('old-done')).toBeNull();
      expect((await jobs.listLogs('old-done', 0, 10)).total).toBe(0);
      expect(await jobs.find('recent-done')).not.toBeNull();
      expect(await jobs.find('old-running')).not.toBeNull();
    } finally {
      await moduleRef.close();
    }
  });
});
