export * from './job-catalogue';
export * from './job-handler';
export * from './job.schema';
export * from './jobs.errors';
export * from './jobs.module';
export * from './jobs.repository';
export * from './jobs.service';
export * from './worker-presence';
