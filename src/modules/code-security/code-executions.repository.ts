import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { CodeExecution } from './schemas/code-execution.schema';

export type CodeExecutionRecord = CodeExecution & { id: string };

type CodeExecutionLean = CodeExecution & { _id: Types.ObjectId };

function toRecord({ _id, ...rest }: CodeExecutionLean): CodeExecutionRecord {
  return { id: _id.toHexString(), ...rest };
}

@Injectable()
export class CodeExecutionsRepository {
  constructor(@InjectModel(CodeExecution.name) private readonly executions: Model<CodeExecution>) {}

  async insert(execution: CodeExecution): Promise<CodeExecutionRecord> {
    const doc = await this.executions.create(execution);
    return toRecord(doc.toObject());
  }

  /** Newest first; every execution when `ownerId` is undefined (admins). */
  async list(
    ownerId: string | undefined,
    offset: number,
    limit: number,
  ): Promise<{ items: CodeExecutionRecord[]; total: number }> {
    const filter = ownerId === undefined ? {} : { ownerId };
    const [docs, total] = await Promise.all([
      this.executions
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .skip(offset)
        .limit(limit)
        .lean<CodeExecutionLean[]>()
        .exec(),
      this.executions.countDocuments(filter).exec(),
    ]);
    return { items: docs.map(toRecord), total };
  }
}
