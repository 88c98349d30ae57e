/** Request ids and lease tokens in a predictable sequence, so a test can name what it will get. */
import { createHash } from 'node:crypto';
import type { IdGenerator } from '../../../src/domain/ports';

export class SequentialIds implements IdGenerator {
  private requests = 0;
  private tokens = 0;

  constructor(private readonly prefix = 'GR-TEST') {}

  newRequestId(): string {
    return `${this.prefix}${String(++this.requests).padStart(4, '0')}`;
  }

  newToken(): string {
    return `token-${++this.tokens}`;
  }

  /** Deterministic per requester and token, as the real generator is (a replayed form is the same request). */
  requestIdFor(requesterId: string, submissionId: string): string {
    return `${this.prefix}-${createHash('sha256').update(`${requesterId}\n${submissionId}`).digest('hex').slice(0, 16)}`;
  }

  /** The id the next newRequestId() returns. */
  peekRequestId(): string {
    return `${this.prefix}${String(this.requests + 1).padStart(4, '0')}`;
  }
}
