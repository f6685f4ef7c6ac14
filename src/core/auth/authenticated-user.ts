export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by a bearer token or an API key. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  roles: Role[];
  /** How the caller authenticated. */
  via: 'access-token' | 'api-key';
  /** The access token's id (jti), for logout; absent for API keys. */
  tokenId?: string;
  /** The access token's expiry (seconds since epoch). */
  tokenExpiresAt?: number;
}

export function isAdmin(user: AuthenticatedUser): boolean {
  return user.roles.includes('admin');
}

/** Ownership filter for repositories: admins see everything, others only what they own. */
export function ownerScope(user: AuthenticatedUser): { ownerId?: string } {
  return isAdmin(user) ? {} : { ownerId: user.id };
}
