import { AppConfigService } from './core/config';
import { createHttpApp } from './app.factory';

/** The HTTP API process. */
async function bootstrap(): Promise<void> {
  const app = await createHttpApp();
  const { host, port } = app.get(AppConfigService).get('http');
  await app.listen(port, host);
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name each bad variable; print them plainly and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
