import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { IsPassword } from './password.decorator';

export class RegisterDto {
  /** E-mail address, used to sign in; stored lower-cased. */
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  /** Display name. */
  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  /** 8 to 72 bytes (bcrypt's limit). */
  @IsPassword()
  password!: string;
}
