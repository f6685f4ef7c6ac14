import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfigService } from '../config';
import { MigrationRunner } from './migration-runner';

/**
 * Applies pending migrations while the process starts (before any bootstrap hook seeds data),
 * unless MIGRATIONS_ON_START=false. Safe when API, worker and other instances start together.
 */
@Injectable()
export class StartupMigrations implements OnModuleInit {
  constructor(
    private readonly runner: MigrationRunner,
    private readonly config: AppConfigService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.get('migrations').onStart) await this.runner.up();
  }
}
