export * from './oversampling';
