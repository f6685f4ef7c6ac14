import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, type IAuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';
import { ForbiddenRoleError, UnauthenticatedError } from './auth-errors';
import type { AuthenticatedUser, Role } from './authenticated-user';

export const API_KEY_PREFIX = 'nml_';
export const JWT_STRATEGY = 'jwt';
export const API_KEY_STRATEGY = 'api-key';

/** Translates passport's failure info into a precise 401 detail. */
function failureDetail(info: unknown, err: unknown): string {
  if (err instanceof UnauthenticatedError) return err.detail;
  const name = (info as { name?: string } | undefined)?.name;
  const message = (info as { message?: string } | undefined)?.message ?? '';
  if (name === 'TokenExpiredError') return 'The access token has expired.';
  if (name === 'JsonWebTokenError') {
    if (message.includes('signature')) return 'The access token signature is invalid.';
    if (message.includes('algorithm')) return 'The access token algorithm is not accepted.';
    return 'The access token is malformed.';
  }
  if (name === 'NotBeforeError') return 'The access token is not valid yet.';
  return 'The credentials are not valid.';
}

function strategyGuard(name: string): IAuthGuard {
  class StrategyGuard extends AuthGuard(name) {
    override handleRequest<TUser>(err: unknown, user: TUser, info: unknown): TUser {
      if (err && !(err instanceof UnauthenticatedError))
        throw err instanceof Error ? err : new Error('authentication failed');
      if (!user) throw new UnauthenticatedError(failureDetail(info, err), true);
      return user;
    }
  }
  return new StrategyGuard();
}

/**
 * Authentication is on for every route unless it is marked @Public(). A bearer credential that
 * starts with `nml_` is a personal API key; anything else must be a JWT access token.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly jwtGuard = strategyGuard(JWT_STRATEGY);
  private readonly apiKeyGuard = strategyGuard(API_KEY_STRATEGY);

  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>();
    const header = req.headers.authorization;
    if (!header) throw new UnauthenticatedError('No bearer credentials were sent.', false);
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".', true);
    const guard = match[1].startsWith(API_KEY_PREFIX) ? this.apiKeyGuard : this.jwtGuard;
    await guard.canActivate(context);

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const user = req.user;
    if (required && required.length > 0 && !required.some((role) => user?.roles.includes(role))) {
      throw new ForbiddenRoleError(required);
    }
    return true;
  }
}
