export * from './database.module';
export * from './migration';
export * from './migration-runner';
export * from './startup-migrations';
