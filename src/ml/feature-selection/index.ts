export * from './correlation';
export * from './mutual-information';
export * from './rfe';
