/**
 * The one rule for status codes (docs/api-conventions.md). Domain errors name a kind, never a
 * status; the problem filter maps kinds to statuses in a single exhaustive switch.
 */
export type ErrorKind =
  | 'invalid' // 400 malformed or invalid input
  | 'unauthenticated' // 401 not authenticated
  | 'forbidden' // 403 not allowed
  | 'not-found' // 404 missing, or not yours
  | 'not-acceptable' // 406 no representation the client accepts
  | 'conflict' // 409 conflicts with current state
  | 'too-large' // 413 too large
  | 'unprocessable' // 422 well-formed but impossible to carry out
  | 'rate-limited' // 429 over a limit
  | 'unavailable' // 503 a dependency is down
  | 'internal'; // 500 a bug

export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'not-acceptable':
      return 406;
    case 'conflict':
      return 409;
    case 'too-large':
      return 413;
    case 'unprocessable':
      return 422;
    case 'rate-limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}
