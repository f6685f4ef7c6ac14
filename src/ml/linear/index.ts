export * from './design';
export * from './logistic';
export * from './ridge';
export * from './design-spec';
