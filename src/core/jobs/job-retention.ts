import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../config/app-config.service';
import { JobsRepository } from './jobs.repository';

/**
 * Finished job records (and their logs) are kept JOBS_RETENTION_DAYS, then deleted: completed
 * jobs are not kept forever. MongoDB TTL indexes are not portable to FerretDB, hence a sweep.
 */
@Injectable()
export class JobRetention {
  private readonly logger = new Logger(JobRetention.name);

  constructor(
    private readonly jobs: JobsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR)
  async sweep(): Promise<number> {
    const before = new Date(Date.now() - this.config.jobs.retentionDays * 24 * 3600 * 1000);
    let removed = 0;
    for (
      let batch = await this.jobs.purgeFinishedBefore(before);
      batch > 0;
      batch = await this.jobs.purgeFinishedBefore(before)
    ) {
      removed += batch;
    }
    if (removed > 0)
      this.logger.log(`removed ${removed} finished jobs older than ${before.toISOString()}`);
    return removed;
  }
}
