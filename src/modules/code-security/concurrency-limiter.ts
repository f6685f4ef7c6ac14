export interface ExecutionLease {
  /** Slot of the global pool, 0 ≤ slot < global limit; the sandbox derives its uid from it. */
  slot: number;
  release(): void;
}

export type ConcurrencyRefusal = { refused: 'user' | 'global'; limit: number };

/**
 * Caps concurrent runs per user and for the whole instance. In-process on purpose: the global cap
 * protects this machine's cores, and a user's runs are only cheap to count where they run.
 */
export class ConcurrencyLimiter {
  private readonly running = new Map<string, number>();
  private readonly freeSlots: number[];

  constructor(
    private readonly maxPerUser: number,
    readonly maxGlobal: number,
  ) {
    this.freeSlots = Array.from({ length: maxGlobal }, (_, slot) => maxGlobal - 1 - slot);
  }

  acquire(userId: string): ExecutionLease | ConcurrencyRefusal {
    const mine = this.running.get(userId) ?? 0;
    if (mine >= this.maxPerUser) return { refused: 'user', limit: this.maxPerUser };
    const slot = this.freeSlots.pop();
    if (slot === undefined) return { refused: 'global', limit: this.maxGlobal };
    this.running.set(userId, mine + 1);
    let released = false;
    return {
      slot,
      release: () => {
        if (released) return;
        released = true;
        this.freeSlots.push(slot);
        const left = (this.running.get(userId) ?? 1) - 1;
        if (left <= 0) this.running.delete(userId);
        else this.running.set(userId, left);
      },
    };
  }

  get active(): number {
    return this.maxGlobal - this.freeSlots.length;
  }
}
