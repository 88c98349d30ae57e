/**
 * Short leases renewed while their work runs (withLease.ts over TableLeases, against Azurite): a
 * holder keeps its lease past one TTL, a holder whose renewal fails stops before its next effect,
 * and a holder that dies (a real process, SIGKILL) blocks the others for at most one TTL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TableLeases } from '../../src/adapters/storage/tableLeases';
import type { Leases } from '../../src/domain/ports';
import { withLease, type LeaseHold } from '../../src/domain/usecases/withLease';
import type { Workflow } from '../../src/domain/usecases/workflow';
import { ManualClock, uniquePrefix } from '../adapters/storage/storageTestKit';
import { testStorageConnectionString } from '../support/env';

const TTL = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function workflowWith(leases: Leases): Workflow {
  let n = 0;
  return { leases, instanceId: `test-${process.pid}`, ids: { newToken: () => `t${++n}` }, log: quiet } as unknown as Workflow;
}

/** Work that makes one "effect" every 100 ms, checking the lease before each, until `stop` is set. */
function effectsLoop(effects: number[], stop: { done: boolean }) {
  return async (hold: LeaseHold) => {
    while (!stop.done) {
      hold.check();
      effects.push(Date.now());
      await sleep(100);
    }
    return 'finished';
  };
}

describe('reliability: short leases, renewed while held', function () {
  this.timeout(30_000);
  let tablePrefix: string;
  let leases: TableLeases;
  beforeEach(async () => {
    tablePrefix = uniquePrefix();
    leases = await TableLeases.open({ connectionString: testStorageConnectionString(), tablePrefix });
  });

  it('a holder that keeps working past one TTL keeps its lease, and releases it when done', async () => {
    const other = await TableLeases.open({ connectionString: testStorageConnectionString(), tablePrefix });
    const stop = { done: false };
    const effects: number[] = [];
    const running = withLease(workflowWith(leases), 'invite-r1', TTL, effectsLoop(effects, stop));
    const takenByOther: boolean[] = [];
    for (const until = Date.now() + 3 * TTL; Date.now() < until;) {
      takenByOther.push(await other.tryAcquire('invite-r1', 'someone-else', TTL));
      await sleep(150);
    }
    stop.done = true;
    assert.deepEqual(await running, { held: true, result: 'finished' });
    assert.ok(takenByOther.length > 10 && takenByOther.every((taken) => !taken), `another owner got it: ${takenByOther.join(',')}`);
    assert.equal(await other.tryAcquire('invite-r1', 'someone-else', TTL), true, 'released at the end');
  });

  it('a holder whose lease was taken over stops before its next effect', async () => {
    // Another process whose clock runs ahead judges the lease expired and takes it.
    const clock = new ManualClock(new Date(Date.now() + TTL * 10).toISOString());
    const thief = await TableLeases.open({ connectionString: testStorageConnectionString(), tablePrefix, clock });
    const effects: number[] = [];
    const running = withLease(workflowWith(leases), 'invite-r2', TTL, effectsLoop(effects, { done: false }));
    await sleep(300);
    // The thief reads the row and writes it conditionally: a renewal landing in between wins that
    // round (its eTag moved) and the thief, as any process would, tries again.
    let taken = false;
    for (let attempt = 0; attempt < 5 && !taken; attempt++) taken = await thief.tryAcquire('invite-r2', 'thief', TTL);
    assert.equal(taken, true);
    const takenAt = Date.now();
    const result = await Promise.race([running, sleep(3 * TTL).then(() => 'still running' as const)]);
    assert.deepEqual(result, { held: false, lost: true });
    const after = effects.filter((at) => at > takenAt).length;
    // The next renewal (a third of a TTL later, at most) finds the lease gone; no effect after that.
    assert.ok(after <= TTL / 3 / 100 + 2, `${after} effects after the takeover`);
    const count = effects.length;
    await sleep(500);
    assert.equal(effects.length, count, 'no effect once stopped');
  });

  it('a holder whose renewal storage refuses stops before its next effect', async () => {
    let refusing = false;
    const flaky: Leases = {
      tryAcquire: (...a) => leases.tryAcquire(...a),
      release: (...a) => leases.release(...a),
      renew: async (...a) => {
        if (refusing) throw new Error('storage unavailable (503)');
        return leases.renew(...a);
      },
    };
    const effects: number[] = [];
    const running = withLease(workflowWith(flaky), 'invite-r3', TTL, effectsLoop(effects, { done: false }));
    await sleep(TTL); // renewed twice meanwhile
    refusing = true;
    const refusedAt = Date.now();
    const result = await Promise.race([running, sleep(3 * TTL).then(() => 'still running' as const)]);
    assert.deepEqual(result, { held: false, lost: true });
    assert.ok(effects.filter((at) => at > refusedAt + TTL / 3 + 200).length === 0, 'no effect after the failed renewal');
  });

  it('a holder (a real process) keeps the lease past its TTL, and once SIGKILLed another takes over within one TTL', async () => {
    const script = `
      const { TableLeases } = require(${JSON.stringify(join(__dirname, '../../src/adapters/storage/tableLeases.js'))});
      const { withLease } = require(${JSON.stringify(join(__dirname, '../../src/domain/usecases/withLease.js'))});
      (async () => {
        const leases = await TableLeases.open({ connectionString: process.env.CS, tablePrefix: process.env.PREFIX });
        const log = { info() {}, warn() {}, error() {} };
        const wf = { leases, instanceId: 'child-' + process.pid, ids: { newToken: () => 'x' }, log };
        await withLease(wf, 'invite-r4', ${TTL}, async () => { process.stdout.write('held\\n'); await new Promise(() => setInterval(() => {}, 1000)); });
      })();`;
    const child = spawn(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', CS: testStorageConnectionString(), PREFIX: tablePrefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
        child.once('exit', () => reject(new Error('the holder exited')));
      });
      const other = await TableLeases.open({ connectionString: testStorageConnectionString(), tablePrefix });
      for (const until = Date.now() + 2 * TTL; Date.now() < until; await sleep(200)) {
        assert.equal(await other.tryAcquire('invite-r4', 'other', TTL), false, 'the live holder keeps its lease past its TTL');
      }
      process.kill(child.pid!, 'SIGKILL');
      await exited;
      const killedAt = Date.now();
      while (!(await other.tryAcquire('invite-r4', 'other', TTL))) await sleep(50);
      const waited = Date.now() - killedAt;
      assert.ok(waited <= TTL + 100, `taken over ${waited} ms after the holder died (TTL ${TTL} ms)`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
