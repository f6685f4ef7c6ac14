export * from './app-config';
export * from './app-config.module';
export * from './app-config.service';
export * from './configuration';
