/** The background lane: a few slots for background work's I/O calls; everything else goes straight through. */
import { strict as assert } from 'node:assert';
import type { TableServiceClientOptions } from '@azure/data-tables';
import { BackgroundLane } from '../../../src/adapters/system/backgroundLane';
import { BackgroundWork } from '../../../src/bot/backgroundWork';
import { TableRequestStore } from '../../../src/adapters/storage/tableRequestStore';
import { testStorageConnectionString } from '../../support/env';
import { uniquePrefix } from '../storage/storageTestKit';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An I/O call that stays open until released, recording how many are open at once. */
function gauge() {
  let open = 0;
  const state = { peak: 0, started: [] as string[], releases: [] as Array<() => void> };
  const call = (name: string) => () =>
    new Promise<string>((resolve) => {
      open++;
      state.peak = Math.max(state.peak, open);
      state.started.push(name);
      state.releases.push(() => {
        open--;
        resolve(name);
      });
    });
  return { state, call };
}

describe('BackgroundLane', () => {
  it('a call still in flight after `holdAtMostMs` gives its slot back and goes on outside the lane', async () => {
    const lane = new BackgroundLane(1);
    const { state, call } = gauge();
    const hung = lane.run(() => BackgroundLane.call(call('hung'), { holdAtMostMs: 20 }));
    const next = lane.run(() => BackgroundLane.call(call('next')));
    await tick();
    assert.deepEqual(state.started, ['hung'], 'the second call waits for the only slot');
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(state.started, ['hung', 'next'], 'the slot came back while the first call still runs');
    state.releases[1]!();
    assert.equal(await next, 'next');
    state.releases[0]!();
    assert.equal(await hung, 'hung');
    // Given back once, not twice: the lane still lets only one call through.
    const a = lane.run(() => BackgroundLane.call(call('a')));
    const b = lane.run(() => BackgroundLane.call(call('b')));
    await tick();
    assert.deepEqual(state.started.slice(2), ['a']);
    state.releases[2]!();
    await a;
    await tick();
    state.releases[3]!();
    assert.equal(await b, 'b');
  });

  it('lets at most `slots` background calls run at once, the rest start in order as slots free up', async () => {
    const lane = new BackgroundLane(2);
    const { state, call } = gauge();
    const all = lane.run(() => Promise.all(['a', 'b', 'c', 'd'].map((name) => BackgroundLane.call(call(name)))));
    await tick();
    assert.deepEqual(state.started, ['a', 'b']);
    state.releases[0]!();
    await tick();
    assert.deepEqual(state.started, ['a', 'b', 'c']);
    state.releases[1]!();
    state.releases[2]!();
    await tick();
    state.releases[3]!();
    assert.deepEqual(await all, ['a', 'b', 'c', 'd']);
    assert.equal(state.peak, 2);
  });

  it('never holds back a call made outside background work, even with every slot taken', async () => {
    const lane = new BackgroundLane(1);
    const { state, call } = gauge();
    const background = lane.run(() => Promise.all([BackgroundLane.call(call('bg1')), BackgroundLane.call(call('bg2'))]));
    const turn = BackgroundLane.call(call('turn'));
    await tick();
    assert.deepEqual(state.started, ['bg1', 'turn']);
    state.releases[1]!();
    assert.equal(await turn, 'turn');
    state.releases[0]!();
    await tick();
    state.releases[2]!();
    await background;
  });

  it('follows the work through awaits and frees the slot of a call that failed', async () => {
    const lane = new BackgroundLane(1);
    const failing = lane.run(async () => {
      await tick();
      return BackgroundLane.call(() => Promise.reject(new Error('storage down')));
    });
    await assert.rejects(failing, /storage down/);
    const { state, call } = gauge();
    const next = lane.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return BackgroundLane.call(call('after'));
    });
    while (state.started.length === 0) await tick();
    state.releases[0]!();
    assert.equal(await next, 'after');
  });

  it("the bot's background tasks run in the lane it was given", async () => {
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const work = new BackgroundWork(silent, new BackgroundLane(1));
    const { state, call } = gauge();
    work.run('a', () => BackgroundLane.call(call('a')));
    work.run('b', () => BackgroundLane.call(call('b')));
    await tick();
    assert.deepEqual(state.started, ['a'], 'the second task waits for the slot');
    state.releases[0]!();
    await tick();
    assert.deepEqual(state.started, ['a', 'b']);
    state.releases[1]!();
    await work.idle();
    assert.equal(state.peak, 1);
  });

  it('a call made from inside a call that holds a slot goes straight through (no waiting on itself)', async () => {
    const lane = new BackgroundLane(1);
    const nested = await lane.run(() => BackgroundLane.call(() => BackgroundLane.call(async () => 'inner')));
    assert.equal(nested, 'inner');
  });

  it('turns in progress narrow the lane (never below one slot); it widens again as they are answered', async () => {
    const lane = new BackgroundLane(3);
    const { state, call } = gauge();
    const endFirst = lane.turnStarted();
    const endSecond = lane.turnStarted();
    const all = lane.run(() => Promise.all(['a', 'b', 'c'].map((name) => BackgroundLane.call(call(name)))));
    await tick();
    assert.deepEqual(state.started, ['a'], 'two turns in progress: one slot left');
    endFirst();
    endFirst(); // answered once, however often it is said
    await tick();
    assert.deepEqual(state.started, ['a', 'b']);
    assert.equal(lane.turns, 1);
    endSecond();
    await tick();
    assert.deepEqual(state.started, ['a', 'b', 'c']);
    for (const release of state.releases) release();
    await all;
    const ends = Array.from({ length: 10 }, () => lane.turnStarted());
    const alone = lane.run(() => BackgroundLane.call(call('d')));
    await tick();
    assert.deepEqual(state.started.at(-1), 'd', 'ten turns: still one slot');
    state.releases.at(-1)!();
    await alone;
    for (const end of ends) end();
    assert.equal(lane.turns, 0);
  });

  it('refuses a lane without slots', () => {
    assert.throws(() => new BackgroundLane(0), RangeError);
  });

  it("storage calls of background work (Azurite) take a slot per attempt; a turn's do not", async () => {
    let open = 0;
    let peak = 0;
    const counting: NonNullable<TableServiceClientOptions['additionalPolicies']>[number] = {
      position: 'perRetry',
      policy: {
        name: 'countOpenCalls',
        sendRequest: async (request, next) => {
          open++;
          peak = Math.max(peak, open);
          try {
            return await next(request);
          } finally {
            open--;
          }
        },
      },
    };
    const store = await TableRequestStore.open({
      connectionString: testStorageConnectionString(),
      tablePrefix: uniquePrefix(),
      clientOptions: { additionalPolicies: [counting] },
    });
    const ids = Array.from({ length: 8 }, (_, i) => `GR-LANE00000${i}`);

    peak = 0; // opening created the tables, three at once
    await new BackgroundLane(1).run(() => Promise.all(ids.map((id) => store.get(id))));
    assert.equal(peak, 1, 'one slot: one call at a time');

    peak = 0;
    await Promise.all(ids.map((id) => store.get(id)));
    assert.ok(peak > 1, `outside the lane the calls overlap (peak ${peak})`);
  });
});
