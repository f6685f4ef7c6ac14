import {
  type ConcurrencyRefusal,
  ConcurrencyLimiter,
  type ExecutionLease,
} from './concurrency-limiter';

const lease = (value: ExecutionLease | ConcurrencyRefusal): ExecutionLease => {
  if ('refused' in value) throw new Error(`refused: ${value.refused}`);
  return value;
};

describe('ConcurrencyLimiter', () => {
  it('should refuse a user beyond the per-user cap and admit them again after a release', () => {
    const limiter = new ConcurrencyLimiter(2, 10);
    const first = lease(limiter.acquire('ada'));
    lease(limiter.acquire('ada'));
    expect(limiter.acquire('ada')).toEqual({ refused: 'user', limit: 2 });
    lease(limiter.acquire('bob'));
    first.release();
    first.release();
    expect(limiter.active).toBe(2);
    lease(limiter.acquire('ada'));
  });

  it('should refuse everyone beyond the global cap and hand out distinct slots', () => {
    const limiter = new ConcurrencyLimiter(5, 3);
    const slots = ['a', 'b', 'c'].map((user) => lease(limiter.acquire(user)).slot);
    expect(new Set(slots)).toEqual(new Set([0, 1, 2]));
    expect(limiter.acquire('d')).toEqual({ refused: 'global', limit: 3 });
  });
});
