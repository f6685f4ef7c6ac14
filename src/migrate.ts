import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { AppConfigModule } from './core/config';
import { DatabaseModule, MigrationRunner } from './core/database';

@Module({ imports: [AppConfigModule, DatabaseModule] })
class MigrateModule {}

/** `npm run migrate -- up | down [steps|all] | status` */
async function main(): Promise<void> {
  const [command = 'up', stepsArg = '1'] = process.argv.slice(2);
  const app = await NestFactory.createApplicationContext(MigrateModule, {
    logger: ['error', 'warn', 'log'],
  });
  try {
    const runner = app.get(MigrationRunner);
    if (command === 'up')
      console.log(`applied: ${(await runner.up()).join(', ') || 'nothing to do'}`);
    else if (command === 'down') {
      const steps = stepsArg === 'all' ? Number.POSITIVE_INFINITY : Number(stepsArg);
      console.log(`reverted: ${(await runner.down(steps)).join(', ') || 'nothing to do'}`);
    } else if (command === 'status')
      console.log(`applied: ${(await runner.applied()).join(', ') || 'none'}`);
    else throw new Error(`unknown command "${command}": use up, down [steps|all] or status`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
