import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AuthenticationGuard } from './auth/authentication.guard';
import { AppConfigModule } from './config';
import { DatabaseModule, StartupMigrations } from './database';
import { ProblemFilter } from './errors/problem.filter';
import { JobsModule } from './jobs/jobs.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';
import { ResilienceModule } from './resilience/resilience.module';
import { StorageModule } from './storage/storage.module';
import { RateLimitGuard } from './throttling/rate-limit.guard';
import { ThrottlingModule } from './throttling/throttling.module';

/** Cross-cutting infrastructure for the HTTP process. Guard order matters: authenticate, then count. */
@Module({
  imports: [
    AppConfigModule,
    AuditModule,
    DatabaseModule,
    JobsModule,
    LoggingModule,
    MetricsModule,
    RedisModule,
    ResilienceModule,
    StorageModule,
    ThrottlingModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    StartupMigrations,
  ],
})
export class CoreModule {}
