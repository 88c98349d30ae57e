import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { sandboxOptionsFromEnv } from '../../../tools/sandbox/graph/main';
import { get } from './http';

describe('Graph sandbox: command line', () => {
  it('reads its options from the environment', () => {
    assert.deepEqual(sandboxOptionsFromEnv({}), { host: '127.0.0.1', port: 5001, latencyMs: undefined, throttlePerSecond: undefined });
    assert.deepEqual(
      sandboxOptionsFromEnv({
        GRAPH_SANDBOX_PORT: '0',
        GRAPH_SANDBOX_LATENCY_MS: '25',
        GRAPH_SANDBOX_THROTTLE_PER_SECOND: '5',
        GRAPH_SANDBOX_CHAOS: '0.2',
        GRAPH_SANDBOX_CHAOS_SEED: '9',
      }),
      { host: '127.0.0.1', port: 0, latencyMs: 25, throttlePerSecond: 5, chaos: { rate: 0.2, seed: 9 } },
    );
    assert.throws(() => sandboxOptionsFromEnv({ GRAPH_SANDBOX_CHAOS: '2' }), /between 0 and 1/);
    assert.throws(() => sandboxOptionsFromEnv({ GRAPH_SANDBOX_PORT: 'abc' }), /GRAPH_SANDBOX_PORT/);
  });

  it('starts, prints its URL, serves Graph and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [require.resolve('../../../tools/sandbox/graph/main')], {
      env: { ...process.env, GRAPH_SANDBOX_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1\.0)/.exec(output);
          if (match) resolve(match[1] as string);
        });
        child.once('exit', () => reject(new Error(`exited early: ${output}`)));
      });
      assert.equal((await get(`${url}/users`)).status, 200);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
