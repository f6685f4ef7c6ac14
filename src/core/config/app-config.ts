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
  migrations: { onStart: boolean };
}
