import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { AuthenticatedUser } from 'src/core/auth';
import { AuditService } from 'src/core/audit/audit.service';
import type { ModeDto, ExperienceMode } from './dto/mode.dto';
import { DEFAULT_MODE } from './dto/mode.dto';
import type { OnboardingDto, OnboardingStepDto } from './dto/onboarding.dto';
import type { PreferencesDto, UpdatePreferencesDto } from './dto/preferences.dto';
import {
  type MilestoneSource,
  ONBOARDING_MILESTONE,
  ONBOARDING_STEPS,
  type OnboardingStepKey,
} from './onboarding-milestone';
import {
  migratePreferences,
  PREFERENCES_SCHEMA_VERSION,
  toLeafPaths,
  withDefaults,
} from './preferences';
import { UserOnboardingRepository } from './user-onboarding.repository';

@Injectable()
export class UserOnboardingService implements OnApplicationBootstrap {
  private readonly milestones = new Map<OnboardingStepKey, MilestoneSource>();

  constructor(
    private readonly repository: UserOnboardingRepository,
    private readonly audit: AuditService,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const step = this.reflector.get<OnboardingStepKey | undefined>(
        ONBOARDING_MILESTONE,
        wrapper.metatype,
      );
      if (step) this.milestones.set(step, wrapper.instance as MilestoneSource);
    }
  }

  /** A user who never chose gets the default, without any write. */
  async getMode(user: AuthenticatedUser): Promise<ModeDto> {
    const settings = await this.repository.find(user.id);
    return settings?.mode
      ? {
          mode: settings.mode as ExperienceMode,
          isDefault: false,
          updatedAt: settings.modeUpdatedAt,
        }
      : { mode: DEFAULT_MODE, isDefault: true };
  }

  async setMode(user: AuthenticatedUser, mode: ExperienceMode): Promise<ModeDto> {
    const before = await this.getMode(user);
    const at = new Date();
    await this.repository.setMode(user.id, mode, at);
    await this.audit.record({
      action: 'user.mode-changed',
      userId: user.id,
      actorEmail: user.email,
      details: { from: before.mode, to: mode },
    });
    return { mode, isDefault: false, updatedAt: at };
  }

  async getPreferences(user: AuthenticatedUser): Promise<PreferencesDto> {
    const settings = await this.repository.find(user.id);
    let stored = settings?.preferences ?? {};
    const version = settings?.preferencesVersion ?? PREFERENCES_SCHEMA_VERSION;
    if (settings?.preferences && version < PREFERENCES_SCHEMA_VERSION) {
      stored = migratePreferences(stored, version);
      await this.repository.replacePreferences(user.id, stored, PREFERENCES_SCHEMA_VERSION);
    }
    return {
      schemaVersion: PREFERENCES_SCHEMA_VERSION,
      preferences: withDefaults(stored) as unknown as Record<string, unknown>,
      updatedAt: settings?.preferencesUpdatedAt,
    };
  }

  async updatePreferences(
    user: AuthenticatedUser,
    update: UpdatePreferencesDto,
  ): Promise<PreferencesDto> {
    // Bring an old document to the current shape first, so new leaves land in the right place.
    await this.getPreferences(user);
    const leaves = toLeafPaths(update as Record<string, unknown>, 'preferences');
    if (Object.keys(leaves).length > 0) {
      await this.repository.setPreferenceLeaves(
        user.id,
        leaves,
        PREFERENCES_SCHEMA_VERSION,
        new Date(),
      );
      await this.audit.record({
        action: 'user.preferences-changed',
        userId: user.id,
        actorEmail: user.email,
        details: { changed: Object.keys(leaves).map((path) => path.slice('preferences.'.length)) },
      });
    }
    return this.getPreferences(user);
  }

  /** Progress through the workflow, derived from what the user has really done. */
  async onboarding(user: AuthenticatedUser): Promise<OnboardingDto> {
    const steps: OnboardingStepDto[] = await Promise.all(
      ONBOARDING_STEPS.map(async (step) => {
        const source = this.milestones.get(step.key);
        return {
          key: step.key,
          title: step.title,
          hint: step.hint,
          available: source !== undefined,
          done: source ? await source.reached(user.id) : false,
        };
      }),
    );
    // The first step the user can take now; else the first one still ahead (not offered yet).
    const next =
      steps.find((step) => step.available && !step.done) ?? steps.find((step) => !step.done);
    return {
      steps,
      completed: steps.filter((step) => step.done).length,
      total: steps.length,
      ...(next ? { next } : {}),
    };
  }
}
