import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-strategy';
import { API_KEY_STRATEGY, type AuthenticatedUser } from 'src/core/auth';
import { ApiKeysService } from '../api-keys.service';

type Verify = (key: string, done: (error: unknown, user?: unknown) => void) => void;

/** Passport strategy for `Authorization: Bearer nml_...` personal API keys. */
class BearerApiKeyStrategy extends Strategy {
  constructor(private readonly verify: Verify) {
    super();
  }

  // Fastify's request (passport's types say Express's): only its headers are read.
  override authenticate(req: { headers: IncomingHttpHeaders }): void {
    const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!key) {
      this.fail('No API key', 401);
      return;
    }
    this.verify(key, (error, user) => {
      if (error) this.error(error as Error);
      else if (!user) this.fail('Invalid API key', 401);
      else this.success(user);
    });
  }
}

/** Nest's mixin hands the strategy a callback that ends in `validate`. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(BearerApiKeyStrategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  validate(key: string): Promise<AuthenticatedUser> {
    return this.apiKeys.authenticate(key);
  }
}
