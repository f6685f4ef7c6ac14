import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { UserSettings } from './schemas/user-settings.schema';

@Injectable()
export class UserOnboardingRepository {
  constructor(@InjectModel(UserSettings.name) private readonly settings: Model<UserSettings>) {}

  find(userId: string): Promise<UserSettings | null> {
    return this.settings.findById(userId).lean<UserSettings>().exec();
  }

  async setMode(userId: string, mode: string, at: Date): Promise<void> {
    await this.settings
      .updateOne({ _id: userId }, { $set: { mode, modeUpdatedAt: at } }, { upsert: true })
      .exec();
  }

  /**
   * Sets only the given leaf paths (a deep merge done by the database, no read-modify-write), and
   * the schema version they conform to.
   */
  async setPreferenceLeaves(
    userId: string,
    leaves: Record<string, unknown>,
    version: number,
    at: Date,
  ): Promise<void> {
    await this.settings
      .updateOne(
        { _id: userId },
        { $set: { ...leaves, preferencesVersion: version, preferencesUpdatedAt: at } },
        { upsert: true },
      )
      .exec();
  }

  /** Replaces the stored preferences with their migrated form. */
  async replacePreferences(
    userId: string,
    preferences: Record<string, unknown>,
    version: number,
  ): Promise<void> {
    await this.settings
      .updateOne({ _id: userId }, { $set: { preferences, preferencesVersion: version } })
      .exec();
  }
}
