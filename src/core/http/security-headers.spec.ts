import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { HELMET_OPTIONS, securityHeaders } from './security-headers';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

function headersAfter(middleware: Middleware): Record<string, unknown> {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  res.setHeader('X-Powered-By', 'Express');
  let calledNext = false;
  middleware(req as Request, res as Response, () => {
    calledNext = true;
  });
  expect(calledNext).toBe(true);
  return res.getHeaders();
}

describe('securityHeaders', () => {
  it('should set exactly the headers helmet sets, with the same values', () => {
    const fromHelmet = headersAfter(helmet(HELMET_OPTIONS) as Middleware);
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
