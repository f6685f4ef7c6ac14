import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

export interface RequestContext {
  requestId: string;
  ip?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Request-scoped facts (request id, client address) for code far from the controller. */
export const RequestContextStore = {
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  /** First middleware: settles the request id (kept from X-Request-ID or made) and echoes it. */
  middleware(req: Request, res: Response, next: NextFunction): void {
    const requestId = requestIdFor(req);
    (req as Request & { id: string }).id = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    storage.run({ requestId, ip: req.ip }, next);
  },
};
