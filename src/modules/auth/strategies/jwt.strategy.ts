import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type AuthenticatedUser, JWT_STRATEGY } from 'src/core/auth';
import { AppConfigService } from 'src/core/config';
import { type AccessTokenClaims, AuthService } from '../auth.service';

/** Verifies HS256 access tokens (signature, expiry), then claims and revocation. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    config: AppConfigService,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse
      // it as a PEM public key on every verification, about a third of an authenticated request.
      // passport-jwt's types predate KeyObject; it hands the key to jsonwebtoken unchanged.
      secretOrKey: createSecretKey(Buffer.from(config.get('auth').jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: Partial<AccessTokenClaims>): Promise<AuthenticatedUser> {
    return this.auth.authenticateAccessToken(claims);
  }
}
