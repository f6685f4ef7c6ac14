import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** One document per user (`_id` = user id): experience mode and preferences. */
@Schema({ collection: 'user_settings', versionKey: false, minimize: false })
export class UserSettings {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String }) mode?: string;
  @Prop({ type: Number }) preferencesVersion?: number;
  @Prop({ type: MongooseSchema.Types.Mixed }) preferences?: Record<string, unknown>;
  @Prop({ type: Date }) modeUpdatedAt?: Date;
  @Prop({ type: Date }) preferencesUpdatedAt?: Date;
}

export const UserSettingsSchema = SchemaFactory.createForClass(UserSettings);
