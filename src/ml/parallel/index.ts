export * from './worker-pool';
export * from './fit-forest-parallel';
export * from './train-spec';
export * from './train-in-worker';
export * from './hist-helper';
export * from './predict-threads';
export * from './run-automl-in-worker';
