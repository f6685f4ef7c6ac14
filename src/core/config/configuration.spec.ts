import { ConfigurationError, loadConfiguration } from './configuration';

describe('loadConfiguration', () => {
  it('should apply the production defaults named in the issue', () => {
    const config = loadConfiguration({ APP_PROFILE: 'production', JWT_SECRET: 's'.repeat(32) });
    expect(config.http.port).toBe(3000);
    expect(config.auth.bcryptCost).toBe(12);
    expect(config.auth.accessTokenTtlSeconds).toBe(3600);
    expect(config.auth.registrationEnabled).toBe(true);
    expect(config.rateLimit).toMatchObject({
      ttlSeconds: 60,
      default: 60,
      auth: 10,
      prediction: 6000,
    });
    expect(config.http.bodyLimit).toBe('1mb');
    expect(config.health.critical).toEqual(['mongodb', 'redis', 's3']);
  });

  it('should lower bcrypt cost and raise rate limits in the test profile', () => {
    const config = loadConfiguration({ APP_PROFILE: 'test' });
    expect(config.auth.bcryptCost).toBe(4);
    expect(config.rateLimit.auth).toBeGreaterThan(10_000);
  });

  it('should let explicit variables win over profile defaults', () => {
    const config = loadConfiguration({
      APP_PROFILE: 'test',
      BCRYPT_COST: '10',
      RATE_LIMIT_AUTH: '3',
      PORT: '8080',
    });
    expect(config.auth.bcryptCost).toBe(10);
    expect(config.rateLimit.auth).toBe(3);
    expect(config.http.port).toBe(8080);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ BCRYPT_COST: '3' }, 'BCRYPT_COST'],
    [{ MONGODB_URI: 'http://localhost' }, 'MONGODB_URI'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ AUTH_REGISTRATION_ENABLED: 'maybe' }, 'AUTH_REGISTRATION_ENABLED'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ APP_PROFILE: 'staging' }, 'APP_PROFILE'],
    [{ APP_PROFILE: 'production' }, 'JWT_SECRET'],
    [{ ADMIN_EMAIL: 'admin@example.com' }, 'ADMIN_PASSWORD'],
  ])('should refuse %j naming %s', (env, variable) => {
    expect(() => loadConfiguration(env)).toThrow(ConfigurationError);
    expect(() => loadConfiguration(env)).toThrow(new RegExp(variable));
  });
});
