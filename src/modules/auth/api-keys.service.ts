import { Injectable } from '@nestjs/common';
import { API_KEY_PREFIX, type AuthenticatedUser, UnauthenticatedError } from 'src/core/auth';
import { AuditService } from 'src/core/audit/audit.service';
import { NotFoundError } from 'src/core/errors';
import type { PageQuery } from 'src/core/http/pagination';
import { type ApiKeyRecord, ApiKeysRepository } from './api-keys.repository';
import type { CreateApiKeyDto } from './dto/create-api-key.dto';
import { randomSecret, sha256Hex } from './token-hash';
import { UsersRepository } from './users.repository';

/** `lastUsedAt` is refreshed at most this often, so a busy script does not write on every call. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async create(
    caller: AuthenticatedUser,
    dto: CreateApiKeyDto,
  ): Promise<ApiKeyRecord & { key: string }> {
    const key = `${API_KEY_PREFIX}${randomSecret(30)}`;
    const record = await this.keys.create({
      ownerId: caller.id,
      name: dto.name,
      keyHash: sha256Hex(key),
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      createdAt: new Date(),
      expiresAt: dto.expiresAt,
    });
    await this.audit.record({
      action: 'api-key.created',
      userId: caller.id,
      actorEmail: caller.email,
      target: record.id,
    });
    return { ...record, key };
  }

  list(
    caller: AuthenticatedUser,
    page: PageQuery,
  ): Promise<{ items: ApiKeyRecord[]; total: number }> {
    return this.keys.listOwnedBy(caller.id, page.offset, page.limit);
  }

  async revoke(caller: AuthenticatedUser, id: string): Promise<void> {
    if (!(await this.keys.revokeOwned(id, caller.id))) throw new NotFoundError('API key', id);
    await this.audit.record({
      action: 'api-key.revoked',
      userId: caller.id,
      actorEmail: caller.email,
      target: id,
    });
  }

  /** Resolves a presented key to its owner, with the owner's current roles. */
  async authenticate(key: string): Promise<AuthenticatedUser> {
    const now = new Date();
    const record = await this.keys.findActiveByHash(sha256Hex(key), now);
    if (!record)
      throw new UnauthenticatedError('The API key is not valid, revoked or expired.', true);
    const owner = await this.users.findById(record.ownerId);
    if (!owner)
      throw new UnauthenticatedError('The API key is not valid, revoked or expired.', true);
    if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.keys.touch(record.id, now);
    }
    return { id: owner.id, email: owner.email, roles: owner.roles, via: 'api-key' };
  }
}
