/**
 * Local mode (no MicrosoftAppId: no inbound authentication) is reachable from this machine only:
 * the server listens on 127.0.0.1 and says so, and another host is a configuration error unless
 * MicrosoftAppId is set.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/loadConfig';
import { freePort, waitForPort } from '../../tools/freePort';
import { createLogger } from '../../src/logging';
import { testGraphBaseUrl, testStorageConnectionString } from '../support/env';

const ENTRY = join(__dirname, '..', '..', 'src', 'index.js');
const APP_ID = '5f0e7c7a-3b1d-4c55-9a6e-2d8f1b0c4e11';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function localEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    APPROVER_IDS: '22222222-2222-4222-8222-222222222222',
    STORAGE_CONNECTION_STRING: testStorageConnectionString(),
    STORAGE_TABLE_PREFIX: `bind${Date.now().toString(36)}`,
    GRAPH_BASE_URL: testGraphBaseUrl(),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Resolves true when a TCP connection to host:port is accepted, false when it is refused. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** This machine's own addresses other than loopback (IPv4), if it has any. */
function otherLocalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

describe('local mode listens on 127.0.0.1 only', function () {
  this.timeout(60_000);
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    child = undefined;
  });

  it('npm start without MicrosoftAppId: bound to 127.0.0.1, said in one start-up line, unreachable on any other address', async () => {
    const port = await freePort();
    // cwd outside the repository: no .env file is read.
    child = spawn(process.execPath, [ENTRY], { cwd: tmpdir(), env: localEnv(port), stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    await waitForPort(port, 20_000);
    const deadline = Date.now() + 5000;
    const listening = () =>
      lines.map((l) => JSON.parse(l) as { msg?: string; host?: string }).find((l) => l.msg?.startsWith('guest access bot listening'));
    while (!listening() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const line = listening();
    assert.ok(line, 'a start-up line');
    assert.equal(line.host, '127.0.0.1');
    assert.match(line.msg!, /127\.0\.0\.1 only/);
    assert.match(line.msg!, /local mode/);

    assert.equal(await accepts('127.0.0.1', port), true, 'control: loopback reaches it');
    // The rest of 127/8 is this machine too, but not the address bound.
    assert.equal(await accepts('127.0.0.2', port), false, '127.0.0.2 is refused');
    for (const address of otherLocalAddresses()) assert.equal(await accepts(address, port), false, `${address} is refused`);
  });

  it('refuses to start in local mode with another HOST, in one clear line', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'localhost']) {
      const result = loadConfig({ ...localEnv(3978), HOST: host });
      assert.equal(result.ok, false, `HOST=${host}`);
      if (!result.ok) {
        assert.equal(result.problems.length, 1, result.problems.join(' | '));
        assert.match(result.problems[0]!, /HOST must be 127\.0\.0\.1.*without MicrosoftAppId/);
      }
    }
    const port = await freePort();
    child = spawn(process.execPath, [ENTRY], {
      cwd: tmpdir(),
      env: localEnv(port, { HOST: '0.0.0.0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child!.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /^config: HOST must be 127\.0\.0\.1/m);
  });

  it('the default is 127.0.0.1 in local mode; with MicrosoftAppId the host is free (HOST, else every interface)', () => {
    const local = loadConfig(localEnv(3978));
    assert.ok(local.ok);
    assert.equal(local.config.host, '127.0.0.1');
    const production = { ...localEnv(3978), MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', TENANT_ID: TENANT };
    const all = loadConfig(production);
    assert.ok(all.ok, all.ok ? '' : all.problems.join(' | '));
    assert.equal(all.config.host, '0.0.0.0');
    const chosen = loadConfig({ ...production, HOST: '10.0.0.4' });
    assert.ok(chosen.ok);
    assert.equal(chosen.config.host, '10.0.0.4');
  });

  it('a local-mode app asked to listen on every interface refuses, whoever asks', async () => {
    const result = loadConfig(localEnv(3978));
    assert.ok(result.ok);
    const app = await createApp(result.config, { log: createLogger('silent'), sweepTimer: false, env: {} });
    try {
      await assert.rejects(app.listen(0, '0.0.0.0'), /127\.0\.0\.1 only/);
    } finally {
      await app.stop(1000);
    }
  });
});
