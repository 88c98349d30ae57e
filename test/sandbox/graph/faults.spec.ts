import assert from 'node:assert/strict';
import { Chaos } from '../../../tools/sandbox/graph/faults';
import { startGraphSandbox, type RunningGraphSandbox } from '../../../tools/sandbox/graph/server';
import { assertGraphError, get, invitation, post } from './http';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the sandbox has stamped how the last call ended (it learns of a vanished client a moment later). */
async function settled(sandbox: RunningGraphSandbox): Promise<void> {
  for (let i = 0; i < 200 && sandbox.state.invitations().some((call) => call.delivery === null); i++) await pause(10);
}

describe('Graph sandbox: faults', () => {
  describe('throttling (throttlePerSecond)', () => {
    let sandbox: RunningGraphSandbox;
    before(async () => {
      sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0, throttlePerSecond: 2 });
    });
    after(() => sandbox.stop());

    it('answers 429 TooManyRequests with Retry-After once the bucket is empty, and lets the call through after it', async () => {
      const url = `${sandbox.baseUrl}/invitations`;
      assert.equal((await post(url, invitation({ invitedUserEmailAddress: 'a@fabrikam.com' }))).status, 201);
      assert.equal((await post(url, invitation({ invitedUserEmailAddress: 'b@fabrikam.com' }))).status, 201);
      const throttled = await post(url, invitation({ invitedUserEmailAddress: 'c@fabrikam.com' }));
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '1');
      assertGraphError(throttled, 'TooManyRequests', /Too many requests/);

      await pause(1000);
      assert.equal((await post(url, invitation({ invitedUserEmailAddress: 'c@fabrikam.com' }))).status, 201);
      const stats = sandbox.state.stats();
      assert.deepEqual(stats.byStatus, { '201': 3, '429': 1 });
      assert.equal(stats.earlyRetries, 0);
    });

    it('does not throttle reads', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await get(`${sandbox.baseUrl}/users`)).status, 200);
    });
  });

  describe('scripted faults', () => {
    let sandbox: RunningGraphSandbox;
    before(async () => {
      sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0 });
    });
    after(() => sandbox.stop());
    beforeEach(() => sandbox.state.reset());

    it('applies the script to the next POST /invitations calls in order', async () => {
      sandbox.state.scriptFaults([
        { status: 429, retryAfterSeconds: 1 },
        { status: 503 },
        { reset: true },
        { status: 400, code: 'BadRequest', message: 'Invitations are blocked for this directory due to suspicious activity.' },
        { latencyMs: 150 },
      ]);
      const url = `${sandbox.baseUrl}/invitations`;

      const throttled = await post(url, invitation({ invitedUserEmailAddress: 'same@fabrikam.com' }));
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '1');
      assertGraphError(throttled, 'TooManyRequests', /Too many requests/);

      // Same address straight away: an early retry.
      const unavailable = await post(url, invitation({ invitedUserEmailAddress: 'same@fabrikam.com' }));
      assert.equal(unavailable.status, 503);
      assert.equal(unavailable.headers.get('retry-after'), null);
      assertGraphError(unavailable, 'ServiceUnavailable', /unavailable/);

      await assert.rejects(
        post(url, invitation({ invitedUserEmailAddress: 'reset@fabrikam.com' })),
        (error: Error) => error.message === 'fetch failed',
      );

      const refused = await post(url, invitation({ invitedUserEmailAddress: 'refused@fabrikam.com' }));
      assert.equal(refused.status, 400);
      assertGraphError(refused, 'BadRequest', /suspicious activity/);

      const started = performance.now();
      const slow = await post(url, invitation({ invitedUserEmailAddress: 'slow@fabrikam.com' }));
      assert.equal(slow.status, 201);
      assert.ok(performance.now() - started >= 150, 'the latency step delays the answer');

      assert.equal((await post(url, invitation({ invitedUserEmailAddress: 'normal@fabrikam.com' }))).status, 201);

      await settled(sandbox);
      const stats = sandbox.state.stats();
      assert.equal(stats.calls, 6);
      assert.deepEqual(stats.byStatus, { '429': 1, '503': 1, reset: 1, '400': 1, '201': 2 });
      assert.equal(stats.earlyRetries, 1);
      assert.equal(stats.invitationsCreated, 2);
      const calls = sandbox.state.invitations();
      assert.equal(calls[0]?.retryAfterMs, 1000);
      assert.deepEqual(
        calls.map((call) => call.early),
        [false, true, false, false, false, false],
      );
    });

    it('can send Retry-After as an HTTP-date', async () => {
      sandbox.state.scriptFaults([{ status: 503, retryAfterSeconds: 2, retryAfterAsDate: true }]);
      const answer = await post(`${sandbox.baseUrl}/invitations`, invitation());
      assert.equal(answer.status, 503);
      const header = answer.headers.get('retry-after') ?? '';
      assert.match(header, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
      const waitMs = Date.parse(header) - Date.now();
      assert.ok(waitMs > 500 && waitMs <= 3000, `date ${header} is about 2 s ahead`);
    });

    it('abandons a slow call whose client gave up: nothing is created', async () => {
      sandbox.state.scriptFaults([{ latencyMs: 5000 }]);
      await assert.rejects(
        fetch(`${sandbox.baseUrl}/invitations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(invitation()),
          signal: AbortSignal.timeout(100),
        }),
      );
      await settled(sandbox);
      const [call] = sandbox.state.invitations();
      assert.equal(call?.delivery, 'client-gone');
      assert.equal(sandbox.state.stats().invitationsCreated, 0);
      assert.equal(sandbox.state.directory.listUsers().length, 0);
    });

    it('leaves reads alone', async () => {
      sandbox.state.scriptFaults([{ status: 503 }]);
      assert.equal((await get(`${sandbox.baseUrl}/users`)).status, 200);
      assert.equal(sandbox.state.faults.pending, 1);
    });
  });

  describe('latencyMs', () => {
    let sandbox: RunningGraphSandbox;
    before(async () => {
      sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0, latencyMs: 150 });
    });
    after(() => sandbox.stop());

    it('delays every answer', async () => {
      const started = performance.now();
      assert.equal((await get(`${sandbox.baseUrl}/users`)).status, 200);
      assert.ok(performance.now() - started >= 150);
    });

    it('is a slow network: the invitation exists even when its answer never arrives', async () => {
      await assert.rejects(
        fetch(`${sandbox.baseUrl}/invitations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(invitation()),
          signal: AbortSignal.timeout(50),
        }),
      );
      await settled(sandbox);
      const [call] = sandbox.state.invitations();
      assert.equal(call?.outcome, 'created');
      assert.equal(call?.delivery, 'client-gone');
      assert.equal(sandbox.state.stats().invitationsCreated, 1);
    });
  });

  describe('chaos', () => {
    it('draws the same faults from the same seed, at about the given rate', () => {
      const draw = (seed: number): string[] => {
        const chaos = new Chaos(0.3, seed);
        return Array.from({ length: 2000 }, () => JSON.stringify(chaos.next() ?? null));
      };
      const first = draw(42);
      assert.deepEqual(draw(42), first);
      assert.notDeepEqual(draw(43), first);
      const faults = first.filter((fault) => fault !== 'null');
      assert.ok(faults.length > 500 && faults.length < 700, `${faults.length} faults in 2000 draws at rate 0.3`);
      for (const kind of ['"status":429', '"status":503', '"status":500', '"reset":true', '"latencyMs"']) {
        assert.ok(
          faults.some((fault) => fault.includes(kind)),
          `chaos produces ${kind}`,
        );
      }
      assert.ok(faults.filter((fault) => fault.includes('"status":429')).every((fault) => fault.includes('"retryAfterSeconds":1')));
    });

    it('applies chaos to Graph calls over HTTP, reproducibly', async () => {
      const run = async (): Promise<string[]> => {
        const sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0, chaos: { rate: 0.5, seed: 2024 } });
        try {
          const outcomes: string[] = [];
          for (let i = 0; i < 8; i++) {
            outcomes.push(
              await post(`${sandbox.baseUrl}/invitations`, invitation({ invitedUserEmailAddress: `g${i}@fabrikam.com` })).then(
                (answer) => String(answer.status),
                () => 'reset',
              ),
            );
          }
          const users = await get(`${sandbox.baseUrl}/users`).then(
            (answer) => String(answer.status),
            () => 'reset',
          );
          return [...outcomes, users];
        } finally {
          await sandbox.stop();
        }
      };
      const first = await run();
      assert.deepEqual(await run(), first);
      assert.ok(
        first.some((outcome) => outcome !== '201' && outcome !== '200'),
        `some calls fail: ${first.join(' ')}`,
      );
      assert.ok(
        first.some((outcome) => outcome === '201'),
        `some calls pass: ${first.join(' ')}`,
      );
    });
  });

  describe('outages (POST /_sandbox/outage)', () => {
    let sandbox: RunningGraphSandbox;
    before(async () => {
      sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0 });
    });
    after(() => sandbox.stop());
    beforeEach(() => sandbox.state.reset());

    it('answers 503 to every invitation during an error outage, and normally once it is over', async () => {
      const url = `${sandbox.baseUrl}/invitations`;
      assert.equal((await post(`${sandbox.baseUrl.replace(/\/v1\.0$/, '')}/_sandbox/outage`, { kind: 'error', seconds: 0.4 })).status, 200);
      for (let i = 0; i < 3; i++)
        assert.equal((await post(url, invitation({ invitedUserEmailAddress: `o${i}@fabrikam.com` }))).status, 503);
      await pause(450);
      assert.equal((await post(url, invitation({ invitedUserEmailAddress: 'after@fabrikam.com' }))).status, 201);
    });

    it('holds invitation calls without an answer during a hang outage, and drops them when it ends', async () => {
      sandbox.state.startOutage('hang', 600);
      const started = Date.now();
      await assert.rejects(post(`${sandbox.baseUrl}/invitations`, invitation({ invitedUserEmailAddress: 'hung@fabrikam.com' })));
      assert.ok(Date.now() - started >= 500, `held ${Date.now() - started} ms`);
      assert.equal(
        (await post(`${sandbox.baseUrl}/invitations`, invitation({ invitedUserEmailAddress: 'later@fabrikam.com' }))).status,
        201,
      );
    });

    it('refuses a malformed outage', async () => {
      assert.equal((await post(`${sandbox.baseUrl.replace(/\/v1\.0$/, '')}/_sandbox/outage`, { kind: 'flood', seconds: 5 })).status, 400);
      assert.equal((await post(`${sandbox.baseUrl.replace(/\/v1\.0$/, '')}/_sandbox/outage`, { seconds: -1 })).status, 400);
    });
  });
});
