import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { applyRouting } from '../app.factory';
import { createHttpAdapter } from '../core/http/http-adapter';
import { AppModule } from '../app.module';
import { buildOpenApiDocument } from '../core/openapi/swagger';

/** In the checkout (NML_ROOT when this runs from a private build, scripts/build-to.sh). */
export const OPENAPI_FILE = join(
  process.env.NML_ROOT ?? join(__dirname, '..', '..', '..'),
  'docs',
  'api',
  'openapi.json',
);

/**
 * Writes docs/api/openapi.json from the compiled application (so the Swagger CLI plugin's
 * schemas are included). Preview mode builds the module graph without connecting to anything.
 * `--check` exits 1 when the committed file is stale.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), {
    preview: true,
    logger: false,
  });
  applyRouting(app);
  const document = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (committed !== document) {
      console.error('docs/api/openapi.json is stale: run `npm run build && npm run openapi`.');
      process.exit(1);
    }
    console.log('docs/api/openapi.json is up to date');
    return;
  }
  writeFileSync(OPENAPI_FILE, document);
  console.log(`wrote ${OPENAPI_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
