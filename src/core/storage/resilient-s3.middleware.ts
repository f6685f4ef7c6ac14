import type { S3Client } from '@aws-sdk/client-s3';
import type { DependencyPolicies } from '../resilience/dependency-policies';

/** Bodies that can be sent again: anything but a stream. */
function isReplayable(input: unknown): boolean {
  const body = (input as { Body?: unknown } | undefined)?.Body;
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * Puts every command sent through this S3 client under the `s3` dependency policies (timeout,
 * retry with backoff, circuit breaker), so no caller can forget them. The SDK's own retries are
 * off (maxAttempts 1) to keep a single place deciding.
 */
export function guardS3Client(client: S3Client, policies: DependencyPolicies): void {
  client.middlewareStack.add(
    (next) => async (args) =>
      policies.execute('s3', () => next(args), { replayable: isReplayable(args.input) }),
    { step: 'initialize', name: 'narrativemlResilience', priority: 'high' },
  );
}
