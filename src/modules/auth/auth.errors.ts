import { AppError } from 'src/core/errors';

export type OAuthErrorCode =
  'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';

/**
 * Token-endpoint errors (RFC 6749 §5.2): 400 with `error` and `error_description` members, inside
 * the same problem+json envelope as every other error.
 */
export class OAuthError extends AppError {
  constructor(error: OAuthErrorCode, description: string) {
    super('invalid', `oauth-${error.replace(/_/g, '-')}`, 'Token request refused', description, {
      extensions: { error, error_description: description },
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    });
  }
}

export class EmailTakenError extends AppError {
  constructor() {
    super(
      'conflict',
      'email-taken',
      'E-mail already registered',
      'An account with this e-mail address already exists.',
    );
  }
}

export class RegistrationDisabledError extends AppError {
  constructor() {
    super(
      'forbidden',
      'registration-disabled',
      'Registration is closed',
      'Self-service registration is switched off on this server; ask an administrator for an account.',
    );
  }
}

export class WrongPasswordError extends AppError {
  constructor() {
    super(
      'invalid',
      'wrong-password',
      'Current password is wrong',
      'The current password does not match.',
      {
        errors: [{ field: 'currentPassword', message: 'does not match the current password' }],
      },
    );
  }
}
