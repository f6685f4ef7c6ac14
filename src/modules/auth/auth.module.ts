import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { AppConfigService } from 'src/core/config';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { ApiKey, ApiKeySchema } from './schemas/api-key.schema';
import {
  RefreshToken,
  RefreshTokenSchema,
  RefreshTokenUse,
  RefreshTokenUseSchema,
  TokenFamily,
  TokenFamilySchema,
} from './schemas/refresh-token.schema';
import { User, UserSchema } from './schemas/user.schema';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';
import { UsersRepository } from './users.repository';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        secret: config.get('auth').jwtSecret,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
    MongooseModule.forFeature([
      { name: ApiKey.name, schema: ApiKeySchema },
      { name: RefreshToken.name, schema: RefreshTokenSchema },
      { name: RefreshTokenUse.name, schema: RefreshTokenUseSchema },
      { name: TokenFamily.name, schema: TokenFamilySchema },
      { name: User.name, schema: UserSchema },
    ]),
    PassportModule,
  ],
  controllers: [ApiKeysController, AuthController],
  providers: [
    ApiKeyStrategy,
    ApiKeysRepository,
    ApiKeysService,
    AuthService,
    JwtStrategy,
    RefreshTokensRepository,
    UsersRepository,
  ],
  // Recipes are shared with users named by e-mail.
  exports: [AuthService, UsersRepository],
})
export class AuthModule {}
