export * from './design';
export * from './logistic';
export * from './ridge';
