export * from './calibrated-model';
export * from './isotonic';
export * from './platt';
