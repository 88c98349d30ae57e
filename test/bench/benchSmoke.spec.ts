/**
 * The benchmark's own smoke test: each scenario, at toy size, completes its flows correctly
 * (every flow finishes, no duplicate invitation, no call before its Retry-After, full listing
 * pages). It never asserts on timing: that is what `npm run bench` is for, on a quiet machine.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runFlowScenario } from '../../tools/bench/flowScenario';
import { parseBenchOptions } from '../../tools/bench/options';
import { runQueryScenario } from '../../tools/bench/queryScenario';
import { Cleanup, startRig, type Rig } from '../../tools/bench/rig';
import { runThrottleScenario } from '../../tools/bench/throttleScenario';

describe('npm run bench (smoke, correctness only)', function () {
  this.timeout(60_000);
  const cleanup = new Cleanup();
  const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const lines: string[] = [];
  let rig: Rig;
  const deadline = () => performance.now() + 45_000;

  before(async () => {
    const options = parseBenchOptions([
      '--quick',
      '--flows',
      '6',
      '--concurrency',
      '3',
      '--warmup',
      '0',
      '--graph-latency',
      '20',
      '--no-echo',
      '--throttle',
      '4',
      '--approvals',
      '6',
      '--requests',
      '40',
      '--queries',
      '4',
      '--approvers',
      '2',
      '--quiet-wait',
      '0',
      '--log-level',
      'warn',
    ]);
    rig = await startRig(options, outDir, cleanup, (line) => lines.push(line));
  });

  after(async () => {
    await cleanup.run();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('flows: every flow gets its redeem link, one invitation each', async () => {
    const report = await runFlowScenario(rig, deadline());
    assert.deepEqual(report.ours.pool.errors, []);
    assert.equal(report.ours.pool.completed, 6);
    assert.equal(report.ours.timeToLink.count, 6);
    assert.equal(report.ours.graph.duplicates, 0);
    assert.equal(report.ours.graph.invitationsCreated, 6);
  });

  it('throttle: every approval is invited once, never before Retry-After', async () => {
    const report = await runThrottleScenario(rig, deadline());
    assert.equal(report.approve.completed, 6);
    assert.equal(report.linksDelivered, 6);
    assert.equal(report.graph.duplicates, 0);
    assert.equal(report.graph.earlyRetries, 0);
  });

  it('requests: "pending" and "my requests" answer full pages from a seeded store', async () => {
    const report = await runQueryScenario(rig, deadline());
    assert.equal(report.seed.stored, 40);
    assert.deepEqual(report.queries.errors, []);
    assert.deepEqual(report.badReplies, []);
    assert.ok(report.repliesChecked >= 8);
  });
});
