import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  isRetryableStatus,
  isTransientNetworkError,
  parseRetryAfter,
  sleepAtLeast,
} from '../../../src/adapters/graph/retry';

describe('Graph retry policy', () => {
  it('has the documented defaults: 6 attempts, 60 s in all, 15 s per call', () => {
    assert.equal(DEFAULT_RETRY_POLICY.maxAttempts, 6);
    assert.equal(DEFAULT_RETRY_POLICY.totalBudgetMs, 60_000);
    assert.equal(DEFAULT_RETRY_POLICY.perCallTimeoutMs, 15_000);
  });

  it('retries 429 and every 5xx (docs/protocol.md §4), no other status', () => {
    for (const status of [429, 500, 501, 502, 503, 504, 509]) assert.equal(isRetryableStatus(status), true, String(status));
    for (const status of [200, 201, 400, 401, 403, 404, 405, 408, 409, 412, 422])
      assert.equal(isRetryableStatus(status), false, String(status));
  });

  describe('Retry-After', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');

    it('reads delta-seconds', () => {
      assert.equal(parseRetryAfter('1', now), 1000);
      assert.equal(parseRetryAfter(' 120 ', now), 120_000);
      assert.equal(parseRetryAfter('0', now), 0);
      assert.equal(parseRetryAfter('1.5', now), 1500);
    });

    it('reads an HTTP-date, as the time left until it', () => {
      assert.equal(parseRetryAfter('Sat, 01 Mar 2025 10:00:07 GMT', now), 7000);
      assert.equal(parseRetryAfter('Sat, 01 Mar 2025 09:59:00 GMT', now), 0, 'a past date means now');
    });

    it('ignores an absent or unreadable header (backoff applies)', () => {
      assert.equal(parseRetryAfter(null, now), undefined);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter('-5', now), undefined);
      assert.equal(parseRetryAfter('', now), undefined);
    });
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 15_000 };
    assert.equal(
      backoffDelayMs(1, policy, () => 0),
      0,
    );
    assert.equal(
      backoffDelayMs(1, policy, () => 0.999),
      499,
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 0.5),
      1000,
    );
    assert.equal(
      backoffDelayMs(10, policy, () => 0.999),
      14_985,
    );
    for (let attempt = 1; attempt <= 8; attempt++) {
      const delay = backoffDelayMs(attempt, policy, Math.random);
      assert.ok(delay >= 0 && delay < Math.min(15_000, 500 * 2 ** (attempt - 1)));
    }
  });

  describe('network errors', () => {
    it('treats fetch failures, resets and timeouts as transient', async () => {
      const server = createServer((req) => req.socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const reset = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
        assert.equal(isTransientNetworkError(reset), true, String(reset));
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
      const refused = await fetch('http://127.0.0.1:1/').catch((error: unknown) => error);
      assert.equal(isTransientNetworkError(refused), true);
      assert.equal(isTransientNetworkError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), true);
      assert.equal(isTransientNetworkError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), true);
    });

    it('does not treat programming errors as transient', () => {
      assert.equal(isTransientNetworkError(new TypeError('Failed to parse URL from nope')), false);
      assert.equal(isTransientNetworkError(new RangeError('bad')), false);
      assert.equal(isTransientNetworkError('fetch failed'), false);
    });
  });

  it('sleeps at least as long as asked', async () => {
    const started = performance.now();
    await sleepAtLeast(30);
    assert.ok(performance.now() - started >= 30);
  });
});
