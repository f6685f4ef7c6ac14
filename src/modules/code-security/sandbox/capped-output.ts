/**
 * Collects a stream's bytes up to a cap. What is past the cap is dropped and remembered as
 * overflow, so the caller can stop the program (the `output-limit` outcome).
 */
export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private overflowed = false;

  constructor(readonly capBytes: number) {}

  /** Adds a chunk; false once the cap has been passed. */
  push(chunk: Buffer | string): boolean {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const room = this.capBytes - this.size;
    if (buffer.length > room) {
      if (room > 0) this.keep(buffer.subarray(0, room));
      this.overflowed = true;
      return false;
    }
    this.keep(buffer);
    return !this.overflowed;
  }

  get overflow(): boolean {
    return this.overflowed;
  }

  get bytes(): number {
    return this.size;
  }

  /** The kept text; a multi-byte character cut at the cap becomes U+FFFD. */
  text(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }

  private keep(buffer: Buffer): void {
    if (buffer.length === 0) return;
    this.chunks.push(Buffer.from(buffer));
    this.size += buffer.length;
  }
}
