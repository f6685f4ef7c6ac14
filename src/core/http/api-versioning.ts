import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AppError } from '../errors/app-error';
import { pathOf } from './request-path';

export const SUPPORTED_API_VERSIONS = ['1'] as const;
export const CURRENT_API_VERSION = '1';

const VENDOR_MEDIA_TYPE = /^application\/vnd\.narrativeml\.v(\d+)\+json$/i;

/**
 * Content negotiation on the vendor media type: `Accept: application/vnd.narrativeml.v1+json`
 * is served as v1; a request that accepts only vendor versions we do not serve gets 406.
 * An onRequest hook: the error goes to the exception filter like any other.
 */
export function vendorVersionNegotiation(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const accept = request.headers.accept;
  if (!accept || !request.url.startsWith('/api/')) return done();
  const ranges = accept.split(',').map((part) => part.split(';')[0].trim());
  const vendorVersions = ranges
    .map((range) => VENDOR_MEDIA_TYPE.exec(range)?.[1])
    .filter((v): v is string => v !== undefined);
  if (vendorVersions.length === 0) return done();
  const acceptsSomethingElse = ranges.some((range) => !VENDOR_MEDIA_TYPE.test(range));
  const supported = vendorVersions.some((v) =>
    (SUPPORTED_API_VERSIONS as readonly string[]).includes(v),
  );
  if (supported || acceptsSomethingElse) return done();
  done(
    new AppError(
      'not-acceptable',
      'unsupported-api-version',
      'API version not available',
      `This server serves API versions ${SUPPORTED_API_VERSIONS.join(', ')}; the request accepts only v${vendorVersions.join(', v')}.`,
      { extensions: { supportedVersions: [...SUPPORTED_API_VERSIONS] } },
    ),
  );
}

/**
 * Unversioned `/api/...` paths answer 308 to their `/api/v1/...` twin; 308 keeps the method
 * and body. Deprecation and Sunset headers tell clients to move (RFC 9745, RFC 8594).
 */
export function redirectUnversioned(sunsetDate: string) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const path = pathOf(request.url);
    if (!path.startsWith('/api/') || /^\/api\/v\d+(\/|$)/.test(path)) return done();
    const target = `/api/v${CURRENT_API_VERSION}${request.url.slice('/api'.length)}`;
    reply
      .header('Deprecation', 'true')
      .header('Sunset', sunsetDate)
      .header('Link', `<${target}>; rel="successor-version"`)
      .redirect(target, 308);
  };
}
