import { parse as parseQueryString } from 'node:querystring';
import bytes from 'bytes';
import { errorCodes, type FastifyBodyParser, type FastifyInstance } from 'fastify';

/** `application/*+json` (for example `application/merge-patch+json`), with or without parameters. */
const JSON_SUFFIX_TYPE = /^application\/[^\s/;]+\+json(?:;|$)/;
/** JSON text may start with whitespace; `strict` accepts only an object or an array after it. */
const FIRST_SIGNIFICANT_CHAR = /^[ \t\n\r]*(.)/;

/**
 * The bodies the API reads, as Express's body-parser read them before: JSON (`strict`: an
 * object or an array, an empty body is `{}`) and URL-encoded forms (the OAuth2 token endpoint),
 * both within the configured limit; above it Fastify answers 413. Any other content type
 * (multipart uploads above all) is left unread for the controller, which streams `request.raw`.
 */
export function registerBodyParsers(fastify: FastifyInstance, limit: string): void {
  const bodyLimit = bytes.parse(limit);
  if (bodyLimit === null) throw new Error(`BODY_LIMIT "${limit}" is not a size`);
  // Fastify's own text/plain parser included: body-parser had none, so such bodies were unread.
  fastify.removeAllContentTypeParsers();

  // Fastify's parser (secure-json-parse): it refuses __proto__ and constructor.prototype keys.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const json: FastifyBodyParser<string> = (request, text, done) => {
    if (text.length === 0) return done(null, {});
    const first = FIRST_SIGNIFICANT_CHAR.exec(text)?.[1];
    if (first !== '{' && first !== '[') {
      return done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
    return parseJson(request, text, done);
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, json);
  fastify.addContentTypeParser(JSON_SUFFIX_TYPE, { parseAs: 'string', bodyLimit }, json);

  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_request, body: string, done) => done(null, { ...parseQueryString(body) }),
  );

  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
