/**
 * `npm start` as the container runs it: the production build (dist/) started with environment
 * configuration, answering the Dockerfile's own HEALTHCHECK command, and stopping on SIGTERM.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitForPort } from '../../tools/freePort';
import { testGraphBaseUrl, testStorageConnectionString } from '../support/env';

const root = join(__dirname, '..', '..', '..');

describe('production start (dist/, as in the container)', function () {
  this.timeout(90_000);

  it('builds, starts from the environment, passes the Dockerfile HEALTHCHECK, and exits 0 on SIGTERM', async () => {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
    const port = await freePort();
    // The node arguments of `npm start` (the heap flags, then the entry), run with this node.
    const startArgs = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ').slice(1);
    assert.equal(startArgs.at(-1), 'dist/index.js');
    const child = spawn(process.execPath, startArgs, {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        APPROVER_IDS: '22222222-2222-4222-8222-222222222222',
        STORAGE_CONNECTION_STRING: testStorageConnectionString(),
        STORAGE_TABLE_PREFIX: `prod${Date.now().toString(36)}`,
        GRAPH_BASE_URL: testGraphBaseUrl(),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    try {
      await waitForPort(port, 20_000);
      // The very command the image's HEALTHCHECK runs.
      const healthcheck = /HEALTHCHECK[^\n]*\n\s*CMD \["node", "-e", "((?:[^"\\]|\\.)*)"\]/.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'));
      assert.ok(healthcheck, 'the Dockerfile has a node HEALTHCHECK');
      const script = JSON.parse(`"${healthcheck[1]}"`) as string;
      execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', PORT: String(port) }, stdio: 'pipe', timeout: 10_000 });

      // The start-up log carries the self-check summary (the checks of `npm run doctor`).
      const deadline = Date.now() + 15_000;
      const checks = () => lines.map((line) => JSON.parse(line) as { msg?: string; check?: string; status?: string }).filter((l) => l.msg === 'self-check');
      while (checks().length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const byName = Object.fromEntries(checks().map((c) => [c.check, c.status]));
      assert.equal(byName.storage, 'ok', JSON.stringify(byName));
      assert.equal(byName.configuration, 'ok');
      const listening = lines.map((line) => JSON.parse(line) as { msg?: string; heapStartFlags?: string }).find((l) => l.msg?.startsWith('guest access bot listening'));
      assert.equal(listening?.heapStartFlags, 'set');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  it('refuses to start without its required settings, naming each one', () => {
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'dist', 'index.js')], { cwd: '/', env: { PATH: process.env.PATH ?? '' }, stdio: 'pipe', timeout: 10_000 });
      assert.fail('it started');
    } catch (err) {
      const e = err as { status?: number; stderr?: Buffer };
      assert.equal(e.status, 1);
      output = e.stderr?.toString() ?? '';
    }
    assert.match(output, /config: APPROVER_IDS is required/);
  });
});
