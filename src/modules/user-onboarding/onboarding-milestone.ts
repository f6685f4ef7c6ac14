import { SetMetadata } from '@nestjs/common';

export const ONBOARDING_STEPS = [
  {
    key: 'upload',
    title: 'Upload a dataset',
    hint: 'POST /api/v1/datasets with a CSV, TSV, JSON Lines or Parquet file.',
  },
  {
    key: 'profile',
    title: 'Read its profile',
    hint: 'Open GET /api/v1/datasets/{id}/profile.html once processing is ready.',
  },
  {
    key: 'transform',
    title: 'Clean and reshape it',
    hint: 'Preview a pipeline with POST /api/v1/transformations/preview, then apply it.',
  },
  {
    key: 'train',
    title: 'Train a model',
    hint: 'Start AutoML on a dataset version and a target column.',
  },
  {
    key: 'evaluate',
    title: 'Evaluate the model',
    hint: 'Read the model report: metrics, confusion matrix, feature importance.',
  },
  {
    key: 'deploy',
    title: 'Promote a model',
    hint: 'Promote the best model so predictions use it.',
  },
  { key: 'predict', title: 'Get predictions', hint: 'Score one row, or schedule a batch.' },
  { key: 'monitor', title: 'Watch for drift', hint: 'Set up a drift check and an alert.' },
] as const;

export type OnboardingStepKey = (typeof ONBOARDING_STEPS)[number]['key'];

export const ONBOARDING_MILESTONE = 'onboarding:milestone';

/**
 * A domain tells onboarding whether a user has reached a step, from what they have really done
 * (a dataset exists, a model is promoted…). Mark the provider with @OnboardingMilestone(step).
 */
export interface MilestoneSource {
  reached(ownerId: string): Promise<boolean>;
}

export const OnboardingMilestone = (step: OnboardingStepKey): ClassDecorator =>
  SetMetadata(ONBOARDING_MILESTONE, step);
