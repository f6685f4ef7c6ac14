import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { HELMET_OPTIONS, securityHeaders } from './security-headers';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

function headersAfter(middleware: Middleware): Record<string, unknown> {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  // What a framework might have set before: helmet removes it, and so must the replay.
  res.setHeader('X-Powered-By', 'Express');
  let calledNext = false;
  middleware(req, res, () => {
    calledNext = true;
  });
  expect(calledNext).toBe(true);
  return res.getHeaders();
}

describe('securityHeaders', () => {
  it('should set exactly the headers helmet sets, with the same values', () => {
    const fromHelmet = headersAfter(helmet(HELMET_OPTIONS));
    const replayed = headersAfter(securityHeaders());
    expect(replayed).toEqual(fromHelmet);
    expect(Object.keys(replayed).length).toBeGreaterThan(10);
    expect(replayed['content-security-policy']).toContain("default-src 'self'");
    expect(replayed['x-powered-by']).toBeUndefined();
  });

  it('should keep each response independent of the others', () => {
    const middleware = securityHeaders();
    const first = headersAfter(middleware);
    const second = headersAfter(middleware);
    expect(second).toEqual(first);
  });
});
