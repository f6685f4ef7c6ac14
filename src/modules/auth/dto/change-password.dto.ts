import { IsString, MaxLength } from 'class-validator';
import { IsPassword } from './password.decorator';

export class ChangePasswordDto {
  @IsString() @MaxLength(1024) currentPassword!: string;
  /** The new password: 8 characters to 72 bytes. */
  @IsPassword() newPassword!: string;
}
