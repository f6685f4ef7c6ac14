export * from './cross-validate';
export * from './folds';
