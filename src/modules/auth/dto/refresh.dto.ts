import { IsString, MaxLength, MinLength } from 'class-validator';

export class RefreshDto {
  /** The refresh token from the last token response. */
  @IsString() @MinLength(1) @MaxLength(512) refresh_token!: string;
}
