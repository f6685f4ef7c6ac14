import { loadServiceEnv } from './service-env';

/** Fails fast, with a hint, when the local services are not running. */
export default async function globalSetup(): Promise<void> {
  loadServiceEnv();
  const missing = ['MONGODB_URI', 'REDIS_URL', 'S3_ENDPOINT'].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `End-to-end tests need ${missing.join(', ')}: run \`npm run test:full\`, or \`scripts/services/services.sh up\` first.`,
    );
  }
}
