export * from './hist-gradient-boosting';
