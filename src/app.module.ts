import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module';
import { AuthModule } from './modules/auth/auth.module';
import { CodeSecurityModule } from './modules/code-security/code-security.module';
import { DatasetsModule } from './modules/datasets/datasets.module';
import { HealthModule } from './modules/health/health.module';
import { JobsApiModule } from './modules/jobs/jobs.module';
import { TransformationsModule } from './modules/transformations/transformations.module';
import { UserOnboardingModule } from './modules/user-onboarding/user-onboarding.module';

@Module({
  imports: [
    AuthModule,
    CodeSecurityModule,
    CoreModule,
    DatasetsModule,
    HealthModule,
    JobsApiModule,
    TransformationsModule,
    UserOnboardingModule,
  ],
})
export class AppModule {}
