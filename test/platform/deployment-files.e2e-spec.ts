import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The deployment files (docker/, .github/) cannot run here: no container engine. These checks
 * keep them parseable and consistent with each other and with the application: every metric a
 * dashboard panel or an alert rule queries must be one the API's /metrics actually exposes.
 */

const ROOT = join(__dirname, '..', '..');

type Json = Record<string, unknown>;

function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** Every YAML and JSON file under `dir`, as paths relative to the repository root. */
function configFilesUnder(dir: string): string[] {
  const absolute = join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ya?ml|json)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

function parse(path: string): unknown {
  const text = read(path);
  return path.endsWith('.json') ? JSON.parse(text) : load(text);
}

function asObject(value: unknown): Json {
  expect(value).toEqual(expect.any(Object));
  return value as Json;
}

/** Every `expr` string anywhere in a parsed document (dashboard targets, alert rules). */
function expressionsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(expressionsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'expr' && typeof child === 'string' ? [child] : expressionsIn(child),
  );
}

/** Aggregation operators and keywords: identifiers in PromQL that are not metric names. */
const PROMQL_WORDS = new Set([
  'and',
  'atan2',
  'avg',
  'bool',
  'bottomk',
  'count',
  'count_values',
  'group',
  'group_left',
  'group_right',
  'ignoring',
  'inf',
  'limit_ratio',
  'limitk',
  'max',
  'min',
  'nan',
  'offset',
  'on',
  'or',
  'quantile',
  'stddev',
  'stdvar',
  'sum',
  'topk',
  'unless',
  'without',
  'by',
]);

/** Series Prometheus itself writes for each target and rule, not the application. */
const PROMETHEUS_SERIES = new Set([
  'ALERTS',
  'ALERTS_FOR_STATE',
  'scrape_duration_seconds',
  'scrape_samples_post_metric_relabeling',
  'scrape_samples_scraped',
  'scrape_series_added',
  'up',
]);

/** The metric names a PromQL expression selects (functions, keywords and labels left out). */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ') // Grafana variables ($__rate_interval, ${var})
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  // A whole identifier (not the tail of a number such as 1e3 or of a duration such as 5m) that
  // is not called like a function.
  for (const [name] of stripped.matchAll(/(?<![\w:.])[A-Za-z_:][\w:]*(?![\w:])(?!\s*\()/g)) {
    if (!PROMQL_WORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** `# TYPE name type` lines of a Prometheus text exposition. */
function exposedTypes(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    types.set(name, type);
  }
  return types;
}

/** Whether the exposition has the series: its own TYPE, or a histogram or summary's part. */
function isExposed(name: string, types: Map<string, string>): boolean {
  if (types.has(name)) return true;
  const part = /^(.+)_(bucket|sum|count)$/.exec(name);
  if (!part) return false;
  const type = types.get(part[1]);
  return type === 'histogram' || (type === 'summary' && part[2] !== 'bucket');
}

/** GitHub's anchor for a Markdown heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

const CONFIG_FILES = [...configFilesUnder('docker'), ...configFilesUnder('.github')];
const COMPOSE_FILE = 'docker/compose.yaml';
const DASHBOARD_FILE = 'docker/grafana/dashboards/narrativeml-system.json';
const ALERTS_FILE = 'docker/prometheus/alerts.yml';

function compose(): { services: Record<string, Json>; volumes: Json } {
  return asObject(parse(COMPOSE_FILE)) as { services: Record<string, Json>; volumes: Json };
}

function alertRules(): Json[] {
  const { groups } = asObject(parse(ALERTS_FILE)) as { groups: { rules: Json[] }[] };
  return groups.flatMap((group) => group.rules);
}

/** The metric names queried by the dashboard panels and the alert rules. */
function queriedMetricNames(): string[] {
  const expressions = [...expressionsIn(parse(DASHBOARD_FILE)), ...expressionsIn(alertRules())];
  const names = new Set(expressions.flatMap(metricNamesIn));
  return [...names].filter((name) => !PROMETHEUS_SERIES.has(name)).sort();
}

describe('PromQL metric name extraction', () => {
  it('should find the metric of a quantile over histogram buckets, not functions or labels', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~".*/events", status_code=~"5.."}[$__rate_interval])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
  });

  it('should find both sides of a ratio and ignore keywords, numbers and durations', () => {
    expect(
      metricNamesIn(
        'sum(rate(a_total[5m] offset 1h)) / on (kind) group_left max without (instance) (b) > 1e3 or vector(0) and bool c',
      ).sort(),
    ).toEqual(['a_total', 'b', 'c']);
  });
});

describe('deployment files', () => {
  it('should find the deployment files', () => {
    expect(CONFIG_FILES).toEqual(
      expect.arrayContaining([
        COMPOSE_FILE,
        ALERTS_FILE,
        DASHBOARD_FILE,
        'docker/prometheus/prometheus.yml',
        '.github/workflows/ci.yml',
      ]),
    );
  });

  it.each(CONFIG_FILES)('should parse %s', (path) => {
    expect(parse(path)).toEqual(expect.any(Object));
  });

  describe('Dockerfile', () => {
    const dockerfile = read('docker/Dockerfile');
    // Instructions with their continuation lines joined and comments dropped.
    const instructions = dockerfile
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const stages = instructions
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => /^FROM\s/i.test(line));
    const runtime = instructions.slice(stages[stages.length - 1]?.index ?? 0);

    it('should build in one stage and run from a slim Node 20 image in another', () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
      expect(instructions.join('\n')).toMatch(/npm ci\b/);
      expect(instructions.join('\n')).toMatch(/npm prune --omit=dev/);
      expect(runtime.join('\n')).toMatch(/COPY --from=build/);
    });

    it('should run as a non-root user', () => {
      const users = runtime.filter((line) => /^USER\s/i.test(line));
      expect(users).toHaveLength(1);
      const [user] = users[0].split(/\s+/)[1].split(':');
      expect(['root', '0']).not.toContain(user);
    });

    it('should install the sandbox packages and check /health', () => {
      const text = runtime.join('\n');
      for (const pkg of ['bubblewrap', 'python3', 'python3-numpy', 'python3-pandas']) {
        expect(text).toMatch(new RegExp(`apt-get install[^\\n]*\\s${pkg}(\\s|$)`, 'm'));
      }
      expect(text).toMatch(/^HEALTHCHECK .*\/health/m);
      expect(text).toMatch(/^CMD \["node", "--no-node-snapshot", "dist\/src\/main\.js"\]$/m);
      expect(text).toMatch(/^LABEL .*org\.opencontainers\.image\.title=/m);
    });

    it('should keep dependencies, build output, data and secrets out of the build context', () => {
      const ignored = read('.dockerignore')
        .split('\n')
        .map((line) => line.trim());
      expect(ignored).toEqual(
        expect.arrayContaining(['node_modules', 'dist', '.data', '.git', 'coverage', '.env']),
      );
    });
  });

  describe('compose stack', () => {
    it('should have the seven services', () => {
      expect(Object.keys(compose().services)).toEqual(
        expect.arrayContaining([
          'api',
          'worker',
          'mongo',
          'redis',
          'minio',
          'prometheus',
          'grafana',
        ]),
      );
    });

    it('should run the API and the worker from the same image as a non-root user', () => {
      const { api, worker } = compose().services;
      expect(worker.image).toBe(api.image);
      for (const service of [api, worker]) {
        expect(String(service.user).split(':')[0]).toMatch(/^[1-9]\d*$/);
      }
      expect(api.command).toEqual(['node', '--no-node-snapshot', 'dist/src/main.js']);
      expect(worker.command).toEqual(['node', '--no-node-snapshot', 'dist/src/worker.js']);
      expect(worker.environment).toEqual(api.environment);
    });

    it('should give Redis noeviction and an append-only file', () => {
      const command = (compose().services.redis.command as string[]).join(' ');
      expect(command).toMatch(/--maxmemory-policy noeviction\b/);
      expect(command).toMatch(/--appendonly yes\b/);
    });

    it('should keep MongoDB, Redis and MinIO data in volumes', () => {
      const { services, volumes } = compose();
      for (const [name, path] of [
        ['mongo', '/data/db'],
        ['redis', '/data'],
        ['minio', '/data'],
      ]) {
        const mounts = services[name].volumes as string[];
        const mount = mounts.find((entry) => entry.endsWith(`:${path}`));
        expect(mount).toBeDefined();
        expect(Object.keys(volumes)).toContain(mount!.split(':')[0]);
      }
    });

    it('should create the bucket once MinIO is healthy and start the app after it', () => {
      const { services } = compose();
      expect(services.mongo.image).toBe('mongo:7');
      expect(services.redis.image).toBe('redis:7');
      expect(JSON.stringify(services.createbuckets.entrypoint)).toMatch(/mc mb --ignore-existing/);
      expect(services.createbuckets.depends_on).toEqual({
        minio: { condition: 'service_healthy' },
      });
      for (const name of ['api', 'worker']) {
        expect(services[name].depends_on).toEqual({
          mongo: { condition: 'service_healthy' },
          redis: { condition: 'service_healthy' },
          minio: { condition: 'service_healthy' },
          createbuckets: { condition: 'service_completed_successfully' },
        });
      }
    });

    it('should health-check every long-running service', () => {
      const { services } = compose();
      for (const [name, service] of Object.entries(services)) {
        if (name === 'createbuckets') continue;
        const healthcheck = service.healthcheck as { test?: string[]; disable?: boolean };
        expect({ name, test: healthcheck?.test?.[0] }).toEqual({
          name,
          test: expect.stringMatching(/^CMD(-SHELL)?$/),
        });
      }
    });

    it('should mount the Prometheus and Grafana files that exist', () => {
      const { services } = compose();
      const mounts = [
        ...(services.prometheus.volumes as string[]),
        ...(services.grafana.volumes as string[]),
      ].filter((mount) => mount.startsWith('./'));
      expect(mounts.length).toBeGreaterThanOrEqual(4);
      for (const mount of mounts) {
        expect(existsSync(join(ROOT, 'docker', mount.split(':')[0]))).toBe(true);
      }
    });

    it('should document every variable compose interpolates in .env.example', () => {
      const example = read('docker/.env.example');
      const used = new Set(
        [...read(COMPOSE_FILE).matchAll(/(?<!\$)\$\{([A-Z0-9_]+)/g)].map(([, name]) => name),
      );
      const missing = [...used].filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example));
      expect(missing).toEqual([]);
    });
  });

  describe('Prometheus and Grafana', () => {
    it('should scrape the API on its port at /metrics and load the alert rules', () => {
      const config = asObject(parse('docker/prometheus/prometheus.yml'));
      expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
      expect(config.scrape_configs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            job_name: 'narrativeml-api',
            metrics_path: '/metrics',
            dns_sd_configs: [expect.objectContaining({ names: ['api'], port: 3000 })],
          }),
        ]),
      );
    });

    it('should alert on errors, latency, open breakers, queue backlog and missing workers', () => {
      const rules = alertRules();
      expect(rules.map((rule) => rule.alert)).toEqual(
        expect.arrayContaining([
          'NarrativeMLHighErrorRate',
          'NarrativeMLHighLatencyP99',
          'NarrativeMLCircuitBreakerOpen',
          'NarrativeMLQueueBacklog',
          'NarrativeMLNoWorker',
        ]),
      );
      for (const rule of rules) {
        expect(rule).toEqual(
          expect.objectContaining({
            expr: expect.any(String),
            for: expect.stringMatching(/^\d+[smh]$/),
            labels: { severity: expect.stringMatching(/^(critical|warning)$/) },
          }),
        );
      }
    });

    it('should link every alert to a section of the deploy runbook', () => {
      const anchors = new Set(
        [...read('docs/runbooks/deploy.md').matchAll(/^#+ (.+)$/gm)].map(([, heading]) =>
          anchorOf(heading),
        ),
      );
      for (const rule of alertRules()) {
        const runbook = (rule.annotations as Record<string, string>).runbook;
        const [file, anchor] = runbook.split('#');
        expect({ alert: rule.alert, file, known: anchors.has(anchor) }).toEqual({
          alert: rule.alert,
          file: 'docs/runbooks/deploy.md',
          known: true,
        });
      }
    });

    it('should provision the datasource the dashboard panels use, and the dashboard folder', () => {
      const datasources = asObject(
        parse('docker/grafana/provisioning/datasources/prometheus.yaml'),
      );
      const [datasource] = datasources.datasources as Json[];
      expect(datasource).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
      const dashboard = read(DASHBOARD_FILE);
      const uids = new Set(
        [...dashboard.matchAll(/"type": "prometheus",\s*"uid": "([^"]+)"/g)].map(([, uid]) => uid),
      );
      expect([...uids]).toEqual([datasource.uid]);

      const providers = asObject(parse('docker/grafana/provisioning/dashboards/narrativeml.yaml'));
      const [provider] = providers.providers as { options: { path: string } }[];
      expect(compose().services.grafana.volumes).toContain(
        `./grafana/dashboards:${provider.options.path}:ro`,
      );
    });

    it('should chart latency, errors, throughput, queues, job durations, breakers, workers and the process', () => {
      const expressions = expressionsIn(parse(DASHBOARD_FILE)).join('\n');
      expect(expressions).toMatch(
        /histogram_quantile\(0\.99, .*http_request_duration_seconds_bucket/,
      );
      expect(expressions).toMatch(/http_request_duration_seconds_count\{status_code=~"5\.\."\}/);
      expect(expressions).toMatch(/http_request_duration_seconds_count\{status_code=~"4\.\."\}/);
      for (const name of [
        'narrativeml_queue_jobs',
        'narrativeml_jobs',
        'narrativeml_job_duration_seconds_bucket',
        'narrativeml_circuit_breaker_state',
        'narrativeml_worker_up',
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
      ]) {
        expect(expressions).toContain(name);
      }
    });
  });

  describe('CI workflow', () => {
    const workflow = asObject(parse('.github/workflows/ci.yml'));
    const jobs = workflow.jobs as Record<string, Json>;

    it('should run on pushes and pull requests', () => {
      expect(Object.keys(asObject(workflow.on))).toEqual(
        expect.arrayContaining(['push', 'pull_request']),
      );
    });

    it('should lint, build and test against MongoDB 7 and Redis 7', () => {
      const { test } = jobs;
      const services = test.services as Record<string, { image: string }>;
      expect(services.mongo.image).toBe('mongo:7');
      expect(services.redis.image).toBe('redis:7');
      expect(test.env).toMatchObject({
        MONGODB_URI: expect.stringMatching(/^mongodb:\/\//),
        REDIS_URL: expect.stringMatching(/^redis:\/\//),
      });
      const commands = (test.steps as { run?: string }[]).map((step) => step.run ?? '').join('\n');
      for (const command of [
        'npm ci',
        'npm run lint',
        'npx nest build',
        'npm run test:full',
        'chromium',
        'bubblewrap',
        'python3-numpy',
        'python3-pandas',
      ]) {
        expect(commands).toContain(command);
      }
    });
  });
});

describe('metrics used by the dashboard and the alerts', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('should all be exposed by GET /metrics', async () => {
    const names = queriedMetricNames();
    expect(names).toEqual(
      expect.arrayContaining([
        'http_request_duration_seconds_bucket',
        'narrativeml_worker_up',
        'process_cpu_seconds_total',
      ]),
    );
    const res = await app.http().get('/metrics').expect(200);
    const types = exposedTypes(res.text);
    expect(names.filter((name) => !isExposed(name, types))).toEqual([]);
  });
});
