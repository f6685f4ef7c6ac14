import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export const PROFILES = ['development', 'test', 'production'] as const;
export type Profile = (typeof PROFILES)[number];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    : value;

/**
 * Every environment variable the platform reads, validated once at boot. Each field is optional
 * here because its default depends on the profile (see `configuration.ts`); the README's
 * configuration table lists them all.
 */
export class EnvironmentVariables {
  @IsOptional() @IsIn(PROFILES) APP_PROFILE?: Profile;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  /** A size as `bytes` reads it (`1mb`, `512kb`, `2048`): Fastify's body limits are in bytes. */
  @IsOptional()
  @Matches(/^\d+(\.\d+)?\s*(b|kb|mb|gb|tb|pb)?$/i)
  BODY_LIMIT?: string;
  @IsOptional() @Transform(toList) @IsString({ each: true }) CORS_ORIGINS?: string[];
  @IsOptional() @IsString() API_SUNSET_DATE?: string;

  @IsOptional()
  @IsUrl({ protocols: ['mongodb', 'mongodb+srv'], require_tld: false, require_protocol: true })
  MONGODB_URI?: string;
  @IsOptional()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL?: string;

  /** Namespace for every Redis key of this deployment (rate limits, revocations, queues). */
  @IsOptional() @Matches(/^[A-Za-z0-9:_-]{1,64}$/) REDIS_KEY_PREFIX?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) S3_ENDPOINT?: string;
  @IsOptional() @IsString() S3_REGION?: string;
  @IsOptional() @IsString() S3_BUCKET?: string;
  @IsOptional() @IsString() S3_ACCESS_KEY_ID?: string;
  @IsOptional() @IsString() S3_SECRET_ACCESS_KEY?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() S3_FORCE_PATH_STYLE?: boolean;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(60) ACCESS_TOKEN_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(60) REFRESH_TOKEN_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(4) @Max(15) BCRYPT_COST?: number;
  @IsOptional() @Transform(toBool) @IsBoolean() AUTH_REGISTRATION_ENABLED?: boolean;
  @IsOptional() @IsEmail() ADMIN_EMAIL?: string;
  @IsOptional() @IsString() @MinLength(12) ADMIN_PASSWORD?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_DEFAULT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_AUTH?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_PREDICTION?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_EXECUTION?: number;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) OPENAI_BASE_URL?: string;
  @IsOptional() @IsString() OPENAI_API_KEY?: string;
  @IsOptional() @Transform(toList) @IsString({ each: true }) HEALTH_CRITICAL?: string[];

  @IsOptional() @Transform(toInt) @IsInt() @Min(100) S3_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10) S3_RETRIES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) S3_BREAKER_FAILURES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) S3_BREAKER_HALF_OPEN_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) OPENAI_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10) OPENAI_RETRIES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) OPENAI_BREAKER_FAILURES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) OPENAI_BREAKER_HALF_OPEN_MS?: number;

  @IsOptional() @Transform(toBool) @IsBoolean() MIGRATIONS_ON_START?: boolean;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) DATASET_MAX_UPLOAD_BYTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) DATASET_MAX_WORKBOOK_BYTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) DATASET_MAX_UNCOMPRESSED_BYTES?: number;
  @IsOptional() @IsString() DATASET_SCRATCH_DIR?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) DATASET_CACHE_MAX_BYTES?: number;
  @IsOptional()
  @Matches(/^[A-Za-z0-9._/-]*\/$/, { message: 'DATASET_STORAGE_PREFIX must end with /' })
  DATASET_STORAGE_PREFIX?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(64) DATASET_DUCKDB_THREADS?: number;
  @IsOptional()
  @Matches(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i)
  DATASET_DUCKDB_MEMORY?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(100) TRANSFORM_PREVIEW_SAMPLE_ROWS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(10_000) TRANSFORM_PREVIEW_MAX_ROWS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) TRANSFORM_PREVIEW_CACHED_VERSIONS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) TRANSFORM_PREVIEW_STEP_CACHE_MB?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) JOBS_MAX_UNFINISHED_PER_USER?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(20) JOBS_ATTEMPTS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) JOBS_LOCK_DURATION_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(500) JOBS_STALLED_INTERVAL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) JOBS_RETENTION_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(64) WORKER_CONCURRENCY?: number;
}
