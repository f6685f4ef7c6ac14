export * from './classification';
export * from './probabilistic';
export * from './ranking';
export * from './regression';
export * from './thresholds';
