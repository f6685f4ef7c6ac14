export * from './gaussian-nb';
