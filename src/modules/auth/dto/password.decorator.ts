import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MinLength, ValidateBy } from 'class-validator';

/** A password: 8 characters at least and 72 bytes at most, since bcrypt ignores what follows. */
export function IsPassword(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      minLength: 8,
      maxLength: 72,
      format: 'password',
      example: 'correct horse battery',
    }),
    IsString(),
    MinLength(8),
    ValidateBy({
      name: 'maxBytes',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Buffer.byteLength(value) <= 72,
        defaultMessage: () => 'password must be at most 72 bytes long',
      },
    }),
  );
}
