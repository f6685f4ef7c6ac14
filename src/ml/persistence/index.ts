export * from './crc32';
export * from './envelope';
export * from './model-format-error';
export * from './model-serializer';
