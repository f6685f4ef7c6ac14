import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS } from './logging.module';

function capture(): { logger: pino.Logger; lines: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString();
      callback();
    },
  });
  return {
    logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream),
    lines: () => out,
  };
}

describe('log redaction', () => {
  it('should mask credentials in request headers and bodies', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'sid=abc' } },
        body: {
          password: 'hunter22',
          refresh_token: 'rt-123',
          newPassword: 'n3w',
          email: 'a@b.co',
        },
        config: { secretAccessKey: 'AKIA-secret', jwtSecret: 'jwt-secret' },
      },
      'request',
    );
    const text = lines();
    for (const secret of [
      'eyJhbGciOi.secret',
      'sid=abc',
      'hunter22',
      'rt-123',
      'n3w',
      'AKIA-secret',
      'jwt-secret',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('a@b.co');
    expect(text).toContain('[redacted]');
  });
});
