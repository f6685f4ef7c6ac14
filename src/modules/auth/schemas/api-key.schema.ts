import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A personal API key for scripts and cron clients; only its SHA-256 is stored. */
@Schema({ collection: 'api_keys', versionKey: false })
export class ApiKey {
  @Prop({ type: String, required: true }) ownerId!: string;
  @Prop({ type: String, required: true, trim: true }) name!: string;
  @Prop({ type: String, required: true }) keyHash!: string;
  /** The first characters of the key, shown in lists so a user can tell keys apart. */
  @Prop({ type: String, required: true }) prefix!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date }) expiresAt?: Date;
  @Prop({ type: Date }) lastUsedAt?: Date;
  @Prop({ type: Date }) revokedAt?: Date;
}

export const ApiKeySchema = SchemaFactory.createForClass(ApiKey);
