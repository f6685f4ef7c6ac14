import { Injectable, Logger } from '@nestjs/common';
import { RequestContextStore } from '../http/request-context';
import { AuditRepository, type AuditRecord } from './audit.repository';

export interface AuditEntry {
  action: string;
  outcome?: 'success' | 'failure';
  userId?: string;
  actorEmail?: string;
  target?: string;
  details?: Record<string, unknown>;
}

/**
 * Writes the audit log. The request id and client address come from the request context, so
 * callers only say what happened.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly repository: AuditRepository) {}

  async record(entry: AuditEntry): Promise<void> {
    const context = RequestContextStore.current();
    try {
      await this.repository.insert({
        ...entry,
        outcome: entry.outcome ?? 'success',
        requestId: context?.requestId ?? 'background',
        ip: context?.ip,
        at: new Date(),
      });
    } catch (error) {
      // The action already happened; losing its audit line must be loud, not fatal.
      this.logger.error({ err: error, action: entry.action }, 'audit write failed');
      throw error;
    }
  }

  list(
    userId: string | undefined,
    offset: number,
    limit: number,
    action?: string,
  ): Promise<{ items: AuditRecord[]; total: number }> {
    return this.repository.findForUser(userId, offset, limit, action);
  }
}
