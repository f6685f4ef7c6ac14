export * from './categorical';
export * from './distances';
export * from './numeric';
export * from './raw';
export * from './report';
export * from './sketch';
export * from './special-functions';
