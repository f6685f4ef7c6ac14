import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcrypt';
import type Redis from 'ioredis';
import { type AuthenticatedUser, type Role, ROLES, UnauthenticatedError } from 'src/core/auth';
import { AuditService } from 'src/core/audit/audit.service';
import { AppConfigService } from 'src/core/config';
import { isDuplicateKeyError } from 'src/core/database';
import { NotFoundError } from 'src/core/errors';
import { REDIS } from 'src/core/redis/redis.module';
import { RedisKeyspace } from 'src/core/redis/redis-keyspace';
import {
  EmailTakenError,
  OAuthError,
  RegistrationDisabledError,
  WrongPasswordError,
} from './auth.errors';
import type { ChangePasswordDto } from './dto/change-password.dto';
import type { RegisterDto } from './dto/register.dto';
import type { TokenRequestDto } from './dto/token-request.dto';
import type { TokenResponseDto } from './dto/auth-responses.dto';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { randomSecret, sha256Hex } from './token-hash';
import { type UserRecord, UsersRepository } from './users.repository';

export interface AccessTokenClaims {
  sub: string;
  email: string;
  roles: Role[];
  jti: string;
  iat: number;
  exp: number;
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  /** Compared against when the user is unknown, so both failures take the same time. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly jwt: JwtService,
    private readonly config: AppConfigService,
    private readonly audit: AuditService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  /** Seeds the administrator named by ADMIN_EMAIL / ADMIN_PASSWORD on first start. */
  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config.get('auth');
    if (!adminEmail || !adminPassword) return;
    if (await this.users.findByEmailWithPassword(adminEmail)) return;
    try {
      const user = await this.users.create({
        email: adminEmail,
        name: 'Administrator',
        passwordHash: await this.hash(adminPassword),
        roles: ['admin', 'user'],
      });
      await this.audit.record({
        action: 'user.admin-seeded',
        userId: user.id,
        actorEmail: user.email,
      });
      this.logger.log(`seeded administrator ${adminEmail}`);
    } catch (error) {
      // Another process (API or worker) seeded it at the same moment.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async register(dto: RegisterDto): Promise<UserRecord> {
    if (!this.config.get('auth').registrationEnabled) throw new RegistrationDisabledError();
    try {
      const user = await this.users.create({
        email: dto.email.toLowerCase(),
        name: dto.name,
        passwordHash: await this.hash(dto.password),
        roles: ['user'],
      });
      await this.audit.record({
        action: 'user.registered',
        userId: user.id,
        actorEmail: user.email,
      });
      return user;
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new EmailTakenError();
      throw error;
    }
  }

  /** The OAuth2 token endpoint: password grant and refresh_token grant. */
  async token(request: TokenRequestDto): Promise<TokenResponseDto> {
    switch (request.grant_type) {
      case 'password':
        if (!request.username || !request.password) {
          throw new OAuthError(
            'invalid_request',
            'The password grant needs username and password.',
          );
        }
        return this.passwordGrant(request.username, request.password);
      case 'refresh_token':
        if (!request.refresh_token) {
          throw new OAuthError('invalid_request', 'The refresh_token grant needs refresh_token.');
        }
        return this.refresh(request.refresh_token);
      case undefined:
        throw new OAuthError('invalid_request', 'grant_type is required.');
      default:
        throw new OAuthError(
          'unsupported_grant_type',
          `grant_type "${request.grant_type}" is not supported; use password or refresh_token.`,
        );
    }
  }

  private async passwordGrant(username: string, password: string): Promise<TokenResponseDto> {
    const email = username.trim().toLowerCase();
    const user = await this.users.findByEmailWithPassword(email);
    // Always run one bcrypt comparison so unknown users and wrong passwords look the same.
    const matches = await bcrypt.compare(
      password,
      user?.passwordHash ?? (await this.getDummyHash()),
    );
    if (!user || !matches) {
      await this.audit.record({
        action: 'auth.login',
        outcome: 'failure',
        userId: user?.id,
        actorEmail: email,
      });
      throw new OAuthError('invalid_grant', 'The username or password is incorrect.');
    }
    const familyId = randomUUID();
    await this.refreshTokens.createFamily(familyId, user.id);
    await this.audit.record({ action: 'auth.login', userId: user.id, actorEmail: user.email });
    return this.issue(user, familyId);
  }

  /**
   * Rotates a refresh token. Spending is an insert into a unique index, so of two concurrent
   * refreshes with one token exactly one wins; the other, like any replay of a spent token, is
   * treated as theft and revokes the whole family (OAuth 2.0 Security BCP §4.14).
   */
  async refresh(refreshToken: string): Promise<TokenResponseDto> {
    const tokenHash = sha256Hex(refreshToken);
    const token = await this.refreshTokens.findByHash(tokenHash);
    if (!token) throw new OAuthError('invalid_grant', 'The refresh token is not valid.');
    const family = await this.refreshTokens.findFamily(token.familyId);
    if (!family || family.revokedAt) {
      throw new OAuthError('invalid_grant', 'The refresh token has been revoked.');
    }
    if (token.expiresAt.getTime() <= Date.now()) {
      throw new OAuthError('invalid_grant', 'The refresh token has expired.');
    }
    if (!(await this.refreshTokens.spend(tokenHash, token.familyId))) {
      await this.refreshTokens.revokeFamily(token.familyId, 'refresh token reused');
      await this.audit.record({
        action: 'auth.refresh-token-reuse',
        outcome: 'failure',
        userId: token.userId,
        details: { familyId: token.familyId },
      });
      throw new OAuthError(
        'invalid_grant',
        'The refresh token was already used; the session has been revoked.',
      );
    }
    const user = await this.users.findById(token.userId);
    if (!user) throw new OAuthError('invalid_grant', 'The refresh token is not valid.');
    return this.issue(user, token.familyId);
  }

  /** Ends a session: its refresh-token family and the presenting access token stop working. */
  async logout(caller: AuthenticatedUser, refreshToken?: string): Promise<void> {
    if (refreshToken) {
      const token = await this.refreshTokens.findByHash(sha256Hex(refreshToken));
      if (token && token.userId === caller.id) {
        await this.refreshTokens.revokeFamily(token.familyId, 'logout');
      }
    }
    if (caller.tokenId && caller.tokenExpiresAt) {
      const ttl = caller.tokenExpiresAt - Math.floor(Date.now() / 1000);
      if (ttl > 0) await this.redis.set(this.revokedKey(caller.tokenId), '1', 'EX', ttl);
    }
    await this.audit.record({ action: 'auth.logout', userId: caller.id, actorEmail: caller.email });
  }

  async me(caller: AuthenticatedUser): Promise<UserRecord> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new NotFoundError('user', caller.id);
    return user;
  }

  /** Changes the password and signs the user out everywhere else. */
  async changePassword(caller: AuthenticatedUser, dto: ChangePasswordDto): Promise<void> {
    const current = await this.users.findPasswordHash(caller.id);
    if (!current || !(await bcrypt.compare(dto.currentPassword, current))) {
      await this.audit.record({
        action: 'auth.password-change',
        outcome: 'failure',
        userId: caller.id,
      });
      throw new WrongPasswordError();
    }
    const now = new Date();
    await this.users.updatePassword(caller.id, await this.hash(dto.newPassword), now);
    await this.refreshTokens.revokeAllOfUser(caller.id, 'password changed');
    const ttl = this.config.get('auth').accessTokenTtlSeconds;
    await this.redis.set(
      this.validAfterKey(caller.id),
      String(Math.floor(now.getTime() / 1000)),
      'EX',
      ttl,
    );
    if (caller.tokenId) await this.redis.set(this.revokedKey(caller.tokenId), '1', 'EX', ttl);
    await this.audit.record({
      action: 'auth.password-change',
      userId: caller.id,
      actorEmail: caller.email,
    });
  }

  async setRoles(admin: AuthenticatedUser, userId: string, roles: Role[]): Promise<UserRecord> {
    const unique = ROLES.filter((role) => roles.includes(role));
    const user = await this.users.setRoles(userId, unique);
    if (!user) throw new NotFoundError('user', userId);
    await this.audit.record({
      action: 'user.roles-changed',
      userId: admin.id,
      actorEmail: admin.email,
      target: userId,
      details: { roles: unique },
    });
    return user;
  }

  /** Checks a verified JWT's claims and revocation state; used by the JWT strategy. */
  async authenticateAccessToken(claims: Partial<AccessTokenClaims>): Promise<AuthenticatedUser> {
    const { sub, email, roles, jti, iat, exp } = claims;
    if (
      typeof sub !== 'string' ||
      typeof email !== 'string' ||
      !Array.isArray(roles) ||
      typeof jti !== 'string' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number'
    ) {
      throw new UnauthenticatedError('The access token lacks required claims.', true);
    }
    const [revoked, validAfter] = await this.redis.mget(
      this.revokedKey(jti),
      this.validAfterKey(sub),
    );
    if (revoked) throw new UnauthenticatedError('The access token has been revoked.', true);
    if (validAfter && iat < Number(validAfter)) {
      throw new UnauthenticatedError('The access token was issued before a password change.', true);
    }
    return { id: sub, email, roles, via: 'access-token', tokenId: jti, tokenExpiresAt: exp };
  }

  private async issue(user: UserRecord, familyId: string): Promise<TokenResponseDto> {
    const { accessTokenTtlSeconds, refreshTokenTtlSeconds } = this.config.get('auth');
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, email: user.email, roles: user.roles },
      { jwtid: randomUUID(), expiresIn: accessTokenTtlSeconds },
    );
    const refreshToken = randomSecret();
    const issuedAt = new Date();
    await this.refreshTokens.insert({
      tokenHash: sha256Hex(refreshToken),
      familyId,
      userId: user.id,
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + refreshTokenTtlSeconds * 1000),
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: accessTokenTtlSeconds,
      refresh_token: refreshToken,
    };
  }

  private revokedKey(jti: string): string {
    return this.keyspace.key('auth', 'revoked-jti', jti);
  }

  private validAfterKey(userId: string): string {
    return this.keyspace.key('auth', 'valid-after', userId);
  }

  private hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.get('auth').bcryptCost);
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= bcrypt.hash(randomSecret(), this.config.get('auth').bcryptCost);
    return this.dummyHash;
  }
}
