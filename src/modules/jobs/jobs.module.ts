import { Module } from '@nestjs/common';
import { JobsController } from './jobs.controller';

/** The /jobs resource; the job system itself lives in src/core/jobs. */
@Module({ controllers: [JobsController] })
export class JobsApiModule {}
