import { Global, Module } from '@nestjs/common';
import { JobDurationStore } from './job-duration-store';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [JobDurationStore, MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}

/** The worker only records job durations; the API exposes them. */
@Global()
@Module({ providers: [JobDurationStore], exports: [JobDurationStore] })
export class JobMetricsModule {}
