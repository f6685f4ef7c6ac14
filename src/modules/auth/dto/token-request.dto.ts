import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * OAuth2 token request (RFC 6749 §4.3 password grant, §6 refresh), as a form or JSON body. All
 * fields are optional here so a missing one gets the RFC's `invalid_request`, not a generic 400.
 */
export class TokenRequestDto {
  /** `password` or `refresh_token`. */
  @ApiPropertyOptional({ enum: ['password', 'refresh_token'] })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  grant_type?: string;
  /** The account's e-mail address (password grant). */
  @IsOptional() @IsString() @MaxLength(254) username?: string;
  /** The account's password (password grant). */
  @ApiPropertyOptional({ format: 'password' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
  /** The refresh token (refresh_token grant). */
  @IsOptional() @IsString() @MaxLength(512) refresh_token?: string;
  /** Accepted and ignored: every token carries the user's roles. */
  @IsOptional() @IsString() @MaxLength(1024) scope?: string;
  /** Accepted for Swagger UI and other public clients; not checked. */
  @IsOptional() @IsString() @MaxLength(256) client_id?: string;
  /** Accepted for clients that always send one; not checked. */
  @IsOptional() @IsString() @MaxLength(256) client_secret?: string;
}
