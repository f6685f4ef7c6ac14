import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AppConfig } from './app-config';
import { EnvironmentVariables, type Profile } from './environment';

/** Defaults that differ by profile: tests and benchmarks need cheap hashing and high limits. */
const PROFILE_DEFAULTS: Record<
  Profile,
  {
    bcryptCost: number;
    rateDefault: number;
    rateAuth: number;
    ratePrediction: number;
    rateExecution: number;
    maxUnfinishedJobs: number;
    log: string;
  }
> = {
  production: {
    bcryptCost: 12,
    rateDefault: 60,
    rateAuth: 10,
    ratePrediction: 6000,
    rateExecution: 30,
    maxUnfinishedJobs: 10,
    log: 'info',
  },
  development: {
    bcryptCost: 12,
    rateDefault: 60,
    rateAuth: 10,
    ratePrediction: 6000,
    rateExecution: 30,
    maxUnfinishedJobs: 10,
    log: 'info',
  },
  test: {
    bcryptCost: 4,
    rateDefault: 1_000_000,
    rateAuth: 1_000_000,
    ratePrediction: 1_000_000,
    rateExecution: 1_000_000,
    maxUnfinishedJobs: 1000,
    log: 'silent',
  },
};

/** A development-only secret so a fresh clone starts; production must set JWT_SECRET. */
const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-0123456789';

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map(
      (message) => `${error.property}=${JSON.stringify(error.value)}: ${message}`,
    ),
  );
}

/** Validates the raw environment and builds the typed configuration, or throws naming each bad variable. */
export function loadConfiguration(raw: Record<string, unknown>): AppConfig {
  const env = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  const problems = describe(errors);
  const profile: Profile = env.APP_PROFILE ?? 'development';
  if (profile === 'production' && !env.JWT_SECRET) {
    problems.push('JWT_SECRET is required when APP_PROFILE=production (at least 32 characters)');
  }
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);

  const defaults = PROFILE_DEFAULTS[profile];
  return {
    profile,
    http: {
      host: env.HOST ?? '0.0.0.0',
      port: env.PORT ?? 3000,
      bodyLimit: env.BODY_LIMIT ?? '1mb',
      corsOrigins: env.CORS_ORIGINS ?? [],
      apiSunsetDate: env.API_SUNSET_DATE ?? 'Wed, 30 Jun 2027 00:00:00 GMT',
    },
    log: { level: env.LOG_LEVEL ?? defaults.log },
    mongo: {
      uri:
        env.MONGODB_URI ??
        'mongodb://127.0.0.1:27017/narrativeml?directConnection=true&retryWrites=false',
    },
    redis: {
      url: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      keyPrefix: env.REDIS_KEY_PREFIX ?? 'nml',
    },
    s3: {
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION ?? 'us-east-1',
      bucket: env.S3_BUCKET ?? 'narrativeml',
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE ?? env.S3_ENDPOINT !== undefined,
    },
    auth: {
      jwtSecret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS ?? 3600,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS ?? 30 * 24 * 3600,
      bcryptCost: env.BCRYPT_COST ?? defaults.bcryptCost,
      registrationEnabled: env.AUTH_REGISTRATION_ENABLED ?? true,
      adminEmail: env.ADMIN_EMAIL?.toLowerCase(),
      adminPassword: env.ADMIN_PASSWORD,
    },
    rateLimit: {
      ttlSeconds: env.RATE_LIMIT_TTL_SECONDS ?? 60,
      default: env.RATE_LIMIT_DEFAULT ?? defaults.rateDefault,
      auth: env.RATE_LIMIT_AUTH ?? defaults.rateAuth,
      prediction: env.RATE_LIMIT_PREDICTION ?? defaults.ratePrediction,
      execution: env.RATE_LIMIT_EXECUTION ?? defaults.rateExecution,
    },
    openai: { baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY },
    health: { critical: env.HEALTH_CRITICAL ?? ['mongodb', 'redis', 's3'] },
    resilience: {
      s3: {
        timeoutMs: env.S3_TIMEOUT_MS ?? 30_000,
        retries: env.S3_RETRIES ?? 2,
        breakerFailures: env.S3_BREAKER_FAILURES ?? 5,
        halfOpenAfterMs: env.S3_BREAKER_HALF_OPEN_MS ?? 10_000,
      },
      openai: {
        timeoutMs: env.OPENAI_TIMEOUT_MS ?? 30_000,
        retries: env.OPENAI_RETRIES ?? 2,
        breakerFailures: env.OPENAI_BREAKER_FAILURES ?? 5,
        halfOpenAfterMs: env.OPENAI_BREAKER_HALF_OPEN_MS ?? 30_000,
      },
    },
    migrations: { onStart: env.MIGRATIONS_ON_START ?? true },
    datasets: {
      maxUploadBytes: env.DATASET_MAX_UPLOAD_BYTES ?? 2 * 1024 ** 3,
      maxWorkbookBytes: env.DATASET_MAX_WORKBOOK_BYTES ?? 16 * 1024 ** 2,
      maxUncompressedBytes: env.DATASET_MAX_UNCOMPRESSED_BYTES ?? 8 * 1024 ** 3,
      scratchDir: env.DATASET_SCRATCH_DIR ?? join(tmpdir(), 'narrativeml-datasets'),
      cacheMaxBytes: env.DATASET_CACHE_MAX_BYTES ?? 2 * 1024 ** 3,
      storagePrefix: env.DATASET_STORAGE_PREFIX ?? 'datasets/',
      duckdbThreads: env.DATASET_DUCKDB_THREADS ?? 2,
      duckdbMemoryLimit: env.DATASET_DUCKDB_MEMORY ?? '1536MB',
    },
    transformations: {
      previewSampleRows: env.TRANSFORM_PREVIEW_SAMPLE_ROWS ?? 20_000,
      previewMaxRows: env.TRANSFORM_PREVIEW_MAX_ROWS ?? 500,
      previewCachedVersions: env.TRANSFORM_PREVIEW_CACHED_VERSIONS ?? 16,
      previewStepCacheMb: env.TRANSFORM_PREVIEW_STEP_CACHE_MB ?? 256,
    },
    jobs: {
      maxUnfinishedPerUser: env.JOBS_MAX_UNFINISHED_PER_USER ?? defaults.maxUnfinishedJobs,
      attempts: env.JOBS_ATTEMPTS ?? 3,
      lockDurationMs: env.JOBS_LOCK_DURATION_MS ?? 30_000,
      stalledIntervalMs: env.JOBS_STALLED_INTERVAL_MS ?? 30_000,
      retentionDays: env.JOBS_RETENTION_DAYS ?? 30,
      workerConcurrency: env.WORKER_CONCURRENCY ?? 2,
    },
  };
}
