import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One issued refresh token (only its SHA-256 is stored). Tokens of one login share a family. */
@Schema({ collection: 'refresh_tokens', versionKey: false })
export class RefreshToken {
  @Prop({ type: String, required: true }) tokenHash!: string;
  @Prop({ type: String, required: true }) familyId!: string;
  @Prop({ type: String, required: true }) userId!: string;
  @Prop({ type: Date, required: true }) issuedAt!: Date;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
}

export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);

/**
 * The record that a refresh token was spent. Its `_id` is the token hash, so spending is an
 * insert into a unique index: of two racing refreshes with one token exactly one succeeds,
 * on MongoDB and FerretDB alike.
 */
@Schema({ collection: 'refresh_token_uses', versionKey: false })
export class RefreshTokenUse {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) familyId!: string;
  @Prop({ type: Date, required: true }) usedAt!: Date;
}

export const RefreshTokenUseSchema = SchemaFactory.createForClass(RefreshTokenUse);

/** A login session: every refresh token rotated from one password grant. */
@Schema({ collection: 'token_families', versionKey: false })
export class TokenFamily {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) userId!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date }) revokedAt?: Date;
  @Prop({ type: String }) revokedReason?: string;
}

export const TokenFamilySchema = SchemaFactory.createForClass(TokenFamily);
