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
import { STEPS } from '../../tools/bench/callCount';
import { runCapacityScenario } from '../../tools/bench/capacityScenario';
import { runFlowScenario } from '../../tools/bench/flowScenario';
import { DEFAULT_SOAK_MINUTES, parseBenchOptions } from '../../tools/bench/options';
import { runQueryScenario } from '../../tools/bench/queryScenario';
import { Cleanup, startRig, type Rig } from '../../tools/bench/rig';
import { leastSquaresSlope, runSoakScenario } from '../../tools/bench/soakScenario';
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
      '--capacity-steps',
      '2,3',
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
    // Calls per flow: counted in the bot process (storage) and at the fake connector, by step.
    const calls = report.ours.callsPerFlow;
    assert.equal(calls.flows, 2);
    assert.deepEqual(
      calls.steps.map((s) => s.step),
      [...STEPS],
    );
    assert.ok(calls.storage > 0 && calls.connector > 0, `calls per flow: ${JSON.stringify(calls)}`);
    assert.ok(calls.requestStore > 0 && calls.requestStore <= calls.storage);
    for (const step of ['submit', 'decide'] as const)
      assert.ok(calls.steps.find((s) => s.step === step)!.storage > 0, `${step} stores something`);
    assert.ok(calls.steps.find((s) => s.step === 'fan-out')!.connector > 0, 'the approval cards are connector calls');
    assert.ok(calls.steps.find((s) => s.step === 'tell')!.connector > 0, 'the link is a connector call');
    assert.ok((report.ours.callsPerFlowUnderLoad.storage ?? 0) > 0 && report.ours.callsPerFlowUnderLoad.connector > 0);
    assert.ok(report.targets.some((t) => t.name === 'storage calls per complete flow' && t.value !== null && t.value > 0));
    assert.ok(report.targets.some((t) => t.name === 'time-to-link p50 / Graph latency' && t.value !== null && t.value > 0));
  });

  it('capacity: every step completes its flows, one process and two on one storage account', async () => {
    const report = await runCapacityScenario(rig, deadline());
    assert.deepEqual(report.errors, []);
    for (const rows of [report.oneProcess, report.twoProcesses]) {
      assert.deepEqual(
        rows.map((r) => r.concurrency),
        [2, 3],
      );
      for (const r of rows) {
        assert.equal(r.failed, 0);
        assert.equal(r.completed, r.flows);
        assert.ok(r.flowsPerSecond > 0 && r.worstInvokeP99 > 0);
      }
    }
  });

  it('soak: samples the RSS and fits a slope (toy length)', async () => {
    assert.equal(parseBenchOptions(['--soak']).soakMinutes, DEFAULT_SOAK_MINUTES);
    assert.equal(parseBenchOptions(['--soak', '3']).soakMinutes, 3);
    assert.equal(
      leastSquaresSlope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
      2,
    );
    assert.equal(parseBenchOptions(['--soak', '--heap-snapshots']).heapSnapshots, true);
    // With heap snapshots, as a diagnosis is run: two snapshots compared, the slope only reported.
    const report = await runSoakScenario({ ...rig, options: { ...rig.options, heapSnapshots: true } }, deadline(), {
      minutes: 0.25,
      sampleMs: 1000,
    });
    assert.equal(report.flowsFailed, 0, report.errors.join('\n'));
    assert.ok(report.flowsCompleted > 0);
    // Fewer on a loaded machine: each snapshot stands the bot still for seconds.
    assert.ok(report.samples.length >= 3 && report.samples.every((s) => s.rssMb > 0), `${report.samples.length} samples`);
    assert.ok(report.samples.some((s) => s.spaces?.some((space) => space.name === 'old_space' && space.sizeMb > 0)));
    assert.ok(Number.isFinite(report.slopeMbPerMinute));
    assert.ok(report.heapGrowth && report.heapGrowth.length > 0, 'the two snapshots were compared');
    assert.ok(report.heapGrowth.every((g) => g.kind.length > 0 && g.countBefore >= 0 && g.countAfter >= 0));
    assert.equal(report.targets.find((t) => t.name.startsWith('soak: RSS slope'))?.verdict, 'REPORTED');
    assert.ok(lines.some((line) => line.includes('V8 heap spaces')));
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
