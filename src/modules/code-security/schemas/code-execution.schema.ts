import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import { LANGUAGES, type Language } from '../code-security.limits';
import { OUTCOMES, type Outcome } from '../sandbox/sandbox.types';

/** One run of a snippet. The code itself is not stored, only its SHA-256. */
@Schema({ collection: 'code_executions', versionKey: false })
export class CodeExecution {
  @Prop({ type: String, required: true }) ownerId!: string;
  @Prop({ type: String, required: true, enum: LANGUAGES }) language!: Language;
  @Prop({ type: String, required: true }) codeSha256!: string;
  @Prop({ type: Number, required: true }) codeLength!: number;
  @Prop({ type: Number, required: true }) timeoutSeconds!: number;
  @Prop({ type: Number, required: true }) memoryMb!: number;
  @Prop({ type: [String], default: [] }) inputNames!: string[];
  @Prop({ type: String, required: true, enum: OUTCOMES }) outcome!: Outcome;
  @Prop({ type: Number, required: true }) durationMs!: number;
  @Prop({ type: Number }) cpuTimeMs?: number;
  @Prop({ type: Number }) peakMemoryBytes?: number;
  @Prop({ type: Number, required: true }) stdoutBytes!: number;
  @Prop({ type: Number, required: true }) stderrBytes!: number;
  @Prop({ type: Date, required: true }) createdAt!: Date;
}

export type CodeExecutionDocument = HydratedDocument<CodeExecution>;
export const CodeExecutionSchema = SchemaFactory.createForClass(CodeExecution);
