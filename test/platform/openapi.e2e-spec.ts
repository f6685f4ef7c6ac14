import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { startTestApp, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const GENERATOR = join(
  process.env.NML_DIST_DIR ?? join(ROOT, 'dist'),
  'src',
  'scripts',
  'generate-openapi.js',
);
const PUBLIC_OPERATIONS = new Set([
  'post /api/v1/auth/register',
  'post /api/v1/auth/token',
  'post /api/v1/auth/refresh',
  'get /health',
  'get /health/ready',
]);

interface Operation {
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const committed = JSON.parse(
  readFileSync(join(ROOT, 'docs', 'api', 'openapi.json'), 'utf8'),
) as OpenApi;
const operations = Object.entries(committed.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ key: `${method} ${path}`, operation })),
);

describe('OpenAPI document', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('should match the committed docs/api/openapi.json (regenerate with npm run openapi)', async () => {
    expect(existsSync(GENERATOR)).toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [GENERATOR, '--check'], {
      cwd: ROOT,
      env: { ...process.env, NML_ROOT: ROOT },
    });
    expect(stdout).toContain('up to date');
  });

  it.each(operations)('should document $key fully', ({ key, operation }) => {
    expect(operation.summary).toEqual(expect.any(String));
    const statuses = Object.keys(operation.responses);
    expect(statuses.some((status) => status.startsWith('2'))).toBe(true);
    // Health probes answer their own JSON; every other operation documents problem+json errors.
    const errors = statuses.filter((status) => /^[45]/.test(status));
    const mustBeProblems = key.startsWith('get /health') ? [] : errors;
    const notProblems = mustBeProblems.filter(
      (status) =>
        !Object.keys(operation.responses[status].content ?? {}).includes(
          'application/problem+json',
        ),
    );
    expect(notProblems).toEqual([]);
    expect(errors.length > 0 || key.startsWith('get /health')).toBe(true);
    const security = PUBLIC_OPERATIONS.has(key) ? [] : [{ oauth2: [] }, { 'api-key': [] }];
    expect(operation.security ?? []).toEqual(expect.arrayContaining(security));
    expect((operation.security ?? []).length).toBe(security.length);
  });

  it('should serve the same paths at /docs-json and a parseable /docs-yaml', async () => {
    const json = await app.http().get('/docs-json').expect(200);
    expect(Object.keys(json.body.paths).sort()).toEqual(Object.keys(committed.paths).sort());
    const yaml = await app.http().get('/docs-yaml').expect(200);
    expect(Object.keys((load(yaml.text) as OpenApi).paths).sort()).toEqual(
      Object.keys(committed.paths).sort(),
    );
  });
});
