import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageInfo } from 'src/core/http/pagination';

export class TokenResponseDto {
  /** JWT (HS256) with claims sub, email, roles, iat, exp, jti. */
  @ApiProperty() access_token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: 'Bearer';
  /** Lifetime of the access token in seconds. */
  @ApiProperty() expires_in!: number;
  /** Opaque; rotated on every use. Reusing a spent one revokes the whole login session. */
  @ApiProperty() refresh_token!: string;
  @ApiPropertyOptional() scope?: string;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['user', 'admin'], isArray: true }) roles!: string[];
  @ApiProperty() createdAt!: Date;
}

export class SessionDto {
  @ApiProperty() userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['user', 'admin'], isArray: true }) roles!: string[];
  /** How the caller authenticated. */
  @ApiProperty({ enum: ['access-token', 'api-key'] }) via!: 'access-token' | 'api-key';
  /** When the access token expires (absent for API keys). */
  @ApiPropertyOptional() expiresAt?: Date;
}

export class ApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  /** The first characters of the key, to tell keys apart. */
  @ApiProperty() prefix!: string;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional() expiresAt?: Date;
  @ApiPropertyOptional() lastUsedAt?: Date;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The key itself. Shown only in this response: store it now. */
  @ApiProperty() key!: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
  @ApiProperty() page!: PageInfo;
}
