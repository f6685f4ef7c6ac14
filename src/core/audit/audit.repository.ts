import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AuditEvent } from './audit-event.schema';

export type AuditRecord = AuditEvent & { id: string };

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEvent.name) private readonly events: Model<AuditEvent>) {}

  async insert(event: AuditEvent): Promise<void> {
    await this.events.create(event);
  }

  async findForUser(
    userId: string | undefined,
    offset: number,
    limit: number,
    action?: string,
  ): Promise<{ items: AuditRecord[]; total: number }> {
    const filter = { ...(userId ? { userId } : {}), ...(action ? { action } : {}) };
    const [docs, total] = await Promise.all([
      this.events.find(filter).sort({ at: -1 }).skip(offset).limit(limit).lean().exec(),
      this.events.countDocuments(filter).exec(),
    ]);
    return {
      items: docs.map(({ _id, ...rest }) => ({ ...rest, id: String(_id) })),
      total,
    };
  }
}
