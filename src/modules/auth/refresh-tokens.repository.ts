import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from 'src/core/database';
import { RefreshToken, RefreshTokenUse, TokenFamily } from './schemas/refresh-token.schema';

export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
}

@Injectable()
export class RefreshTokensRepository {
  constructor(
    @InjectModel(RefreshToken.name) private readonly tokens: Model<RefreshToken>,
    @InjectModel(RefreshTokenUse.name) private readonly uses: Model<RefreshTokenUse>,
    @InjectModel(TokenFamily.name) private readonly families: Model<TokenFamily>,
  ) {}

  async createFamily(familyId: string, userId: string): Promise<void> {
    await this.families.create({ _id: familyId, userId, createdAt: new Date() });
  }

  async insert(token: RefreshTokenRecord): Promise<void> {
    await this.tokens.create(token);
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return this.tokens.findOne({ tokenHash }).lean<RefreshTokenRecord>().exec();
  }

  async findFamily(familyId: string): Promise<TokenFamily | null> {
    return this.families.findById(familyId).lean<TokenFamily>().exec();
  }

  /** Spends a token. False when it was already spent (a replay, or the loser of a race). */
  async spend(tokenHash: string, familyId: string): Promise<boolean> {
    try {
      await this.uses.create({ _id: tokenHash, familyId, usedAt: new Date() });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.families
      .updateOne(
        { _id: familyId, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date(), revokedReason: reason } },
      )
      .exec();
  }

  async revokeAllOfUser(userId: string, reason: string): Promise<void> {
    await this.families
      .updateMany(
        { userId, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date(), revokedReason: reason } },
      )
      .exec();
  }
}
