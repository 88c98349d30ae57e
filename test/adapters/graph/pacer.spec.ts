import assert from 'node:assert/strict';
import { Pacer } from '../../../src/adapters/graph/pacer';

/** A promise the test settles by hand, so concurrency is observed by counting, not by timing. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Pacer', () => {
  it('runs at most maxConcurrent at once, first come first served', async () => {
    const pacer = new Pacer({ maxConcurrent: 2, perSecond: 1000 });
    const gates = Array.from({ length: 6 }, deferred);
    const started: number[] = [];
    let running = 0;
    let mostRunning = 0;
    const runs = gates.map((gate, index) =>
      pacer.run(async () => {
        started.push(index);
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        await gate.promise;
        running -= 1;
        return index;
      }),
    );
    await settle();
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(pacer.load, { active: 2, waiting: 4 });
    for (const gate of gates) {
      gate.resolve();
      await settle();
    }
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
    assert.equal(mostRunning, 2);
    assert.deepEqual(pacer.load, { active: 0, waiting: 0 });
  });

  it('starts at most perSecond calls in any one-second window', async () => {
    let now = 0;
    const pacer = new Pacer({ maxConcurrent: 10, perSecond: 5 }, () => now);
    let started = 0;
    const runs = Array.from({ length: 8 }, () => pacer.run(async () => void (started += 1)));
    await settle();
    assert.equal(started, 5);
    assert.deepEqual(pacer.load, { active: 0, waiting: 3 });

    // Still inside the window of the first five (the pacer's clock says 999 ms): nobody else starts.
    now = 999;
    await new Promise((resolve) => setTimeout(resolve, 1050));
    assert.equal(started, 5);

    now = 1000;
    await Promise.all(runs);
    assert.equal(started, 8);
  });

  it('passes results and errors through, and frees the slot after an error', async () => {
    const pacer = new Pacer({ maxConcurrent: 1, perSecond: 100 });
    await assert.rejects(
      pacer.run(async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await pacer.run(async () => 42), 42);
  });

  it('refuses nonsense limits', () => {
    assert.throws(() => new Pacer({ maxConcurrent: 0, perSecond: 1 }));
    assert.throws(() => new Pacer({ maxConcurrent: 1, perSecond: 0 }));
  });
});
