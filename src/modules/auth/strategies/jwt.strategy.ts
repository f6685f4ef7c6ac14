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
      secretOrKey: config.get('auth').jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: Partial<AccessTokenClaims>): Promise<AuthenticatedUser> {
    return this.auth.authenticateAccessToken(claims);
  }
}
