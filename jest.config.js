/**
 * Two projects: `unit` runs pure logic beside the code it tests (src/**\/*.spec.ts);
 * `e2e` boots the application against the real local MongoDB-compatible server,
 * Redis and S3-protocol server (test/**\/*.e2e-spec.ts).
 */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
};
const moduleNameMapper = { '^src/(.*)$': '<rootDir>/src/$1' };

module.exports = {
  // End-to-end tests boot the application and real services; unit tests finish far sooner.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
