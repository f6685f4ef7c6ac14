import type { Profile } from './environment';

/** The typed, validated configuration, one namespace per concern. Read it through `AppConfigService`. */
export interface AppConfig {
  profile: Profile;
  http: {
    host: string;
    port: number;
    bodyLimit: string;
    corsOrigins: string[];
    /** HTTP-date sent in the Sunset header of deprecated unversioned paths. */
    apiSunsetDate: string;
  };
  log: { level: string };
  mongo: { uri: string };
  redis: { url: string; keyPrefix: string };
  s3: {
    endpoint?: string;
    region: string;
    bucket: string;
    accessKeyId?: string;
    /** Secret: never logged. */
    secretAccessKey?: string;
    forcePathStyle: boolean;
  };
  auth: {
    /** Secret: never logged. */
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    bcryptCost: number;
    registrationEnabled: boolean;
    adminEmail?: string;
    /** Secret: never logged. */
    adminPassword?: string;
  };
  rateLimit: {
    ttlSeconds: number;
    default: number;
    auth: number;
    prediction: number;
    /** Code executions a minute per user (POST /security/execute). */
    execution: number;
  };
  openai: { baseUrl?: string; apiKey?: string };
  health: { critical: string[] };
  /** Timeout, retry and circuit-breaker settings per remote dependency. */
  resilience: Record<'s3' | 'openai', DependencyPolicyConfig>;
  migrations: { onStart: boolean };
  datasets: {
    /** Largest accepted upload in bytes (413 beyond). */
    maxUploadBytes: number;
    /**
     * Largest accepted Excel workbook (413 beyond): a sheet is read whole in memory, at about
     * 40 times the file's size.
     */
    maxWorkbookBytes: number;
    /** Largest text a gzip-compressed upload may inflate to (413 beyond). */
    maxUncompressedBytes: number;
    /** Local folder for processing scratch files and the Parquet cache. */
    scratchDir: string;
    /** Bound of the local Parquet LRU cache, in bytes. */
    cacheMaxBytes: number;
    /** Prefix of every S3 key of the datasets domain. */
    storagePrefix: string;
    duckdbThreads: number;
    duckdbMemoryLimit: string;
  };
  transformations: {
    /** Previews of versions with more rows run on a systematic sample of about this many rows. */
    previewSampleRows: number;
    /** Rows a preview may return at most. */
    previewMaxRows: number;
    /** Preview samples kept in memory (one DuckDB table per version, least recently used out). */
    previewCachedVersions: number;
    /**
     * Estimated memory for the tables of previewed pipeline steps (each step's result on a sample,
     * kept so an edited pipeline recomputes only from the edit on); 0 keeps none beyond a preview.
     */
    previewStepCacheMb: number;
  };
  jobs: {
    /** Queued plus running jobs a user may have at once; more answer 429. */
    maxUnfinishedPerUser: number;
    attempts: number;
    /** How long a worker's claim on a job lasts without renewal (BullMQ lockDuration). */
    lockDurationMs: number;
    /** How often stalled jobs (their worker died) are looked for. */
    stalledIntervalMs: number;
    retentionDays: number;
    workerConcurrency: number;
  };
}

export interface DependencyPolicyConfig {
  timeoutMs: number;
  /** Extra attempts after a failed call (exponential backoff with jitter). */
  retries: number;
  /** Consecutive failures that open the breaker. */
  breakerFailures: number;
  /** How long an open breaker waits before letting one trial call through. */
  halfOpenAfterMs: number;
}
