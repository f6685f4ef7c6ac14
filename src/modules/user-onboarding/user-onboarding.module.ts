import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { UserSettings, UserSettingsSchema } from './schemas/user-settings.schema';
import { UserOnboardingController } from './user-onboarding.controller';
import { UserOnboardingRepository } from './user-onboarding.repository';
import { UserOnboardingService } from './user-onboarding.service';

@Module({
  imports: [
    DiscoveryModule,
    MongooseModule.forFeature([{ name: UserSettings.name, schema: UserSettingsSchema }]),
  ],
  controllers: [UserOnboardingController],
  providers: [UserOnboardingRepository, UserOnboardingService],
})
export class UserOnboardingModule {}
