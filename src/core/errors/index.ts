export * from './app-error';
export * from './error-kind';
export * from './problem';
export * from './problem.filter';
