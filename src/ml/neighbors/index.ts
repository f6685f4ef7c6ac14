export * from './knn';
