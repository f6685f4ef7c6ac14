export * from './auth.decorators';
export * from './auth-errors';
export * from './authenticated-user';
export * from './authentication.guard';
