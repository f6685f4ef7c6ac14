import { Injectable } from '@nestjs/common';
import {
  type MilestoneSource,
  OnboardingMilestone,
} from 'src/modules/user-onboarding/onboarding-milestone';
import { DatasetVersionsRepository } from './dataset-versions.repository';

/** Onboarding's "upload" step: the user has uploaded at least one file. */
@Injectable()
@OnboardingMilestone('upload')
export class UploadedDatasetMilestone implements MilestoneSource {
  constructor(private readonly versions: DatasetVersionsRepository) {}

  reached(ownerId: string): Promise<boolean> {
    return this.versions.existsForOwner(ownerId, {});
  }
}

/** Onboarding's "profile" step: one of the user's versions has been processed and profiled. */
@Injectable()
@OnboardingMilestone('profile')
export class ProfiledDatasetMilestone implements MilestoneSource {
  constructor(private readonly versions: DatasetVersionsRepository) {}

  reached(ownerId: string): Promise<boolean> {
    return this.versions.existsForOwner(ownerId, { status: 'ready' });
  }
}
