import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type FakeOpenAiMode = 'ok' | 'error' | 'hang';

export interface FakeOpenAi {
  /** Base URL to configure as OPENAI_BASE_URL (ends in /v1). */
  baseUrl: string;
  /** Requests received, newest last (method and path). */
  requests: { method: string; path: string; authorization?: string; body?: unknown }[];
  setMode(mode: FakeOpenAiMode): void;
  /** Canned reply for chat completions; receives the request body. */
  setChatReply(reply: (body: unknown) => string): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server speaking the parts of the OpenAI API the platform uses (GET /v1/models,
 * POST /v1/chat/completions), so tests exercise the real client over the network. It can be made
 * to fail (503) or hang, to test timeouts and circuit breakers.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let mode: FakeOpenAiMode = 'ok';
  let chatReply: (body: unknown) => string = () => 'This is a canned answer.';
  const requests: FakeOpenAi['requests'] = [];
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const body: unknown = text ? JSON.parse(text) : undefined;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      if (mode === 'hang') {
        hanging.add(res);
        return;
      }
      const json = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (mode === 'error')
        return json(503, { error: { message: 'overloaded', type: 'server_error' } });
      if (req.method === 'GET' && req.url === '/v1/models') {
        return json(200, {
          object: 'list',
          data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'fake' }],
        });
      }
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        const content = chatReply(body);
        return json(200, {
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: (body as { model?: string } | undefined)?.model ?? 'gpt-4o-mini',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        });
      }
      json(404, {
        error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setMode: (next) => {
      mode = next;
    },
    setChatReply: (reply) => {
      chatReply = reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
