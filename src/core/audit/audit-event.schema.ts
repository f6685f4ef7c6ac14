import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Schema as MongooseSchema } from 'mongoose';

/** A security-relevant action: who did what to which resource, when, under which request id. */
@Schema({ collection: 'audit_events', versionKey: false })
export class AuditEvent {
  /** The acting user; absent for anonymous attempts (a failed login for an unknown e-mail). */
  @Prop({ type: String }) userId?: string;
  @Prop({ type: String }) actorEmail?: string;
  @Prop({ type: String, required: true }) action!: string;
  @Prop({ type: String }) target?: string;
  @Prop({ type: String, required: true }) outcome!: 'success' | 'failure';
  @Prop({ type: String, required: true }) requestId!: string;
  @Prop({ type: String }) ip?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) details?: Record<string, unknown>;
  @Prop({ type: Date, required: true }) at!: Date;
}

export type AuditEventDocument = HydratedDocument<AuditEvent>;
export const AuditEventSchema = SchemaFactory.createForClass(AuditEvent);
