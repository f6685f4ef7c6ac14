export * from './types';
export * from './binning';
export * from './flat-tree';
export * from './hist-grower';
export * from './losses';
export * from './weights';
export * from './synthetic';
export * from './cart-grower';
