import { IsOptional, IsString, MaxLength } from 'class-validator';

export class LogoutDto {
  /** The session's refresh token; when given, the whole session is revoked. */
  @IsOptional() @IsString() @MaxLength(512) refresh_token?: string;
}
