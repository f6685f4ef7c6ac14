import { Injectable } from '@nestjs/common';
import {
  type MilestoneSource,
  OnboardingMilestone,
} from 'src/modules/user-onboarding/onboarding-milestone';
import { TransformationRunsRepository } from './runs/transformation-runs.repository';

/** Onboarding's "transform" step: the user has applied a pipeline that made a new version. */
@Injectable()
@OnboardingMilestone('transform')
export class TransformedDatasetMilestone implements MilestoneSource {
  constructor(private readonly runs: TransformationRunsRepository) {}

  reached(ownerId: string): Promise<boolean> {
    return this.runs.existsReadyForOwner(ownerId);
  }
}
