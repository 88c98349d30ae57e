/**
 * The heap policy the server applies at start-up (src/server/heapPolicy.ts), measured on a program
 * with the bot's memory shape: a small live set and fast allocation of short-lived objects. Run in
 * child processes, so each starts with a fresh heap; the assertion is on memory, not on time.
 * Measured on the old generation, the part whose growth the factor governs: the young generation is
 * sized by V8 on its own (on Node 24 it takes up to ~130 MB of heapTotal here, against ~35 MB on Node 20).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  applyHeapPolicy,
  HEAP_GROWING_PERCENT,
  HEAP_START_FLAGS,
  MAX_SEMI_SPACE_MB,
  missingHeapStartFlags,
  withHeapStartFlags,
} from '../../src/server/heapPolicy';

const policyModule = join(__dirname, '..', '..', 'src', 'server', 'heapPolicy.js');

/** Peak old-generation size (MB) of the workload, with or without the policy applied first. */
function peakHeapMb(withPolicy: boolean): number {
  const program = `
    if (${withPolicy}) require(${JSON.stringify(policyModule)}).applyHeapPolicy([]);
    const live = Array.from({ length: 200 }, () => new Array(12500).fill({ a: 1 }));
    const recent = [];
    let peak = 0;
    for (let i = 0; i < 4000; i++) {
      recent.push(new Array(2000).fill(i).map((x) => ({ x, s: 'y' + x })));
      if (recent.length > 60) recent.shift();
      if (i % 20 === 0) peak = Math.max(peak, require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size);
    }
    process.stdout.write(String(Math.round(peak / 1e6) + live.length * 0));`;
  return Number(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8', timeout: 60_000 }));
}

/** Peak young-generation size (MB) of the same kind of workload, node started with `flags`. */
function peakNewSpaceMb(flags: readonly string[]): number {
  const program = `
    const live = Array.from({ length: 50 }, () => new Array(12500).fill({ a: 1 }));
    const recent = [];
    let peak = 0;
    for (let i = 0; i < 3000; i++) {
      recent.push(new Array(2000).fill(i).map((x) => ({ x, s: 'y' + x })));
      if (recent.length > 60) recent.shift();
      if (i % 20 === 0) peak = Math.max(peak, require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
    }
    process.stdout.write(String(Math.round(peak / 1048576) + live.length * 0));`;
  return Number(execFileSync(process.execPath, [...flags, '-e', program], { encoding: 'utf8', timeout: 60_000 }));
}

describe('heap policy', function () {
  this.timeout(120_000);

  it('keeps the heap much closer to what is alive than V8’s default growth does', () => {
    const without = peakHeapMb(false);
    const withPolicy = peakHeapMb(true);
    assert.ok(withPolicy < without * 0.75, `peak old space ${withPolicy} MB with the policy, ${without} MB without`);
  });

  it('leaves a growing factor given on the command line alone', () => {
    assert.equal(applyHeapPolicy(['--heap-growing-percent=30']), undefined);
    assert.equal(applyHeapPolicy(['--heap_growing_percent=30']), undefined);
    assert.equal(applyHeapPolicy(['--enable-source-maps']), HEAP_GROWING_PERCENT);
  });

  it('bounds the young generation when node starts with the start flags', () => {
    const withFlags = peakNewSpaceMb(HEAP_START_FLAGS);
    const without = peakNewSpaceMb([]);
    // Two semi-spaces, plus pages V8 counts while a scavenge moves them (seen up to 28 MB at 2 × 8);
    // its own default on Node 24 lets the new space reach 128 MB.
    assert.ok(withFlags <= 4 * MAX_SEMI_SPACE_MB, `new space ${withFlags} MB with ${HEAP_START_FLAGS.join(' ')}`);
    assert.ok(withFlags < without / 2, `new space ${withFlags} MB with the start flags, ${without} MB without`);
  });

  it('gives launchers the start flags, except one the caller sets itself', () => {
    assert.deepEqual(withHeapStartFlags(), [...HEAP_START_FLAGS]);
    assert.deepEqual(withHeapStartFlags(['--cpu-prof']), [...HEAP_START_FLAGS, '--cpu-prof']);
    assert.deepEqual(withHeapStartFlags(['--max-semi-space-size=64']), ['--max-semi-space-size=64']);
    assert.deepEqual(withHeapStartFlags(['--max_semi_space_size=8', '--cpu-prof']), ['--max_semi_space_size=8', '--cpu-prof']);
  });

  it('tells which start flags a process lacks, from its command line and NODE_OPTIONS', () => {
    assert.deepEqual(missingHeapStartFlags([], ''), [...HEAP_START_FLAGS]);
    assert.deepEqual(missingHeapStartFlags(['--enable-source-maps'], '--max-old-space-size=512'), [...HEAP_START_FLAGS]);
    assert.deepEqual(missingHeapStartFlags([...HEAP_START_FLAGS], ''), []);
    assert.deepEqual(missingHeapStartFlags([], ' --max-semi-space-size=32  --enable-source-maps'), []);
  });
});
