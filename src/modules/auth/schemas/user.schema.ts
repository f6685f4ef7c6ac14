import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Role } from 'src/core/auth';

/**
 * A person who signs in. The password hash is `select: false`, so this model is never used with
 * findOneAnd* (FerretDB rejects the projection that Mongoose would add: FERRETDB.md).
 */
@Schema({ collection: 'users', versionKey: false, timestamps: true })
export class User {
  /** Stored lower-cased; unique. */
  @Prop({ type: String, required: true, lowercase: true, trim: true }) email!: string;
  @Prop({ type: String, required: true, trim: true }) name!: string;
  @Prop({ type: String, required: true, select: false }) passwordHash!: string;
  @Prop({ type: [String], required: true, default: ['user'] }) roles!: Role[];
  /** Access tokens issued before this instant are refused (set by a password change). */
  @Prop({ type: Date }) tokensValidAfter?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
