import { AppError } from '../errors/app-error';

const REALM = 'narrativeml';

/** 401 with the RFC 6750 challenge, so clients know to (re)authenticate. */
export class UnauthenticatedError extends AppError {
  constructor(detail: string, tokenPresented: boolean) {
    const challenge = tokenPresented
      ? `Bearer realm="${REALM}", error="invalid_token", error_description="${detail.replace(/"/g, "'")}"`
      : `Bearer realm="${REALM}"`;
    super('unauthenticated', 'unauthenticated', 'Authentication required', detail, {
      headers: { 'WWW-Authenticate': challenge },
    });
  }
}

export class ForbiddenRoleError extends AppError {
  constructor(required: string[]) {
    super(
      'forbidden',
      'forbidden',
      'Not allowed',
      `This action requires the role ${required.join(' or ')}.`,
      { headers: { 'WWW-Authenticate': `Bearer realm="${REALM}", error="insufficient_scope"` } },
    );
  }
}
