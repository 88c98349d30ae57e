/** `npm run doctor`'s checks against Azurite and the Graph sandbox, and against broken settings. */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { formatResult, runDoctor, type DoctorReport } from '../../src/startup/selfCheck';
import { testGraphBaseUrl, testStorageConnectionString } from '../support/env';

const APPROVER = '22222222-2222-4222-8222-222222222222';

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    APPROVER_IDS: APPROVER,
    TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    STORAGE_CONNECTION_STRING: testStorageConnectionString(),
    STORAGE_TABLE_PREFIX: `d${randomBytes(5).toString('hex')}`,
    GRAPH_BASE_URL: testGraphBaseUrl(),
    ...extra,
  };
}

const byName = (report: DoctorReport, name: string) => {
  const result = report.results.find((r) => r.name === name);
  assert.ok(result, `no "${name}" check`);
  return result;
};
const output = (report: DoctorReport) => report.results.map(formatResult).join('\n');

/** The connection string of the test Azurite with its key swapped for another one. */
function withWrongKey(connectionString: string, key: string): string {
  assert.match(connectionString, /AccountKey=/, 'the test Azurite connection string carries an AccountKey');
  return connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${key}`);
}

describe('doctor', function () {
  this.timeout(60_000);

  it('passes every check against Azurite and the Graph sandbox (sandbox mode: no token check)', async () => {
    const report = await runDoctor(env());
    assert.equal(report.ok, true, output(report));
    assert.deepEqual(
      report.results.map((r) => r.name),
      ['configuration', 'storage', 'graph', 'bot credentials', 'approvers'],
    );
    assert.match(byName(report, 'graph').detail, /sandbox mode.*skipped.*answers/);
    assert.match(byName(report, 'storage').detail, /tables .*present/);
    assert.match(byName(report, 'approvers').detail, /^1 configured/);
    for (const line of output(report).split('\n')) assert.match(line, /^ok {4}/);
  });

  it('accepts approvers given as a group only (APPROVER_GROUP_ID without APPROVER_IDS)', async () => {
    const group = '44444444-4444-4444-8444-444444444444';
    const report = await runDoctor(env({ APPROVER_IDS: '', APPROVER_GROUP_ID: group }));
    assert.equal(byName(report, 'approvers').status, 'ok', output(report));
    assert.match(byName(report, 'approvers').detail, new RegExp(group));
  });

  it('reports a storage account key that is wrong, without crashing and without printing the key', async () => {
    const wrongKey = Buffer.from(`not-the-key-${randomBytes(24).toString('hex')}`).toString('base64');
    const report = await runDoctor(env({ STORAGE_CONNECTION_STRING: withWrongKey(testStorageConnectionString(), wrongKey) }));
    assert.equal(report.ok, false);
    const storage = byName(report, 'storage');
    assert.equal(storage.status, 'fail');
    assert.match(storage.detail, /Fix: .*(AccountKey|credentials)/);
    assert.ok(!output(report).includes(wrongKey), 'the key is not printed');
    assert.equal(byName(report, 'graph').status, 'ok', 'the other checks still ran');
  });

  it('reports an unreachable or malformed storage connection string without printing the key', async () => {
    const key = Buffer.from(`secret-${randomBytes(16).toString('hex')}`).toString('base64');
    const unreachable = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};TableEndpoint=http://127.0.0.1:9/devstoreaccount1;`;
    const down = await runDoctor(env({ STORAGE_CONNECTION_STRING: unreachable }), { timeoutMs: 20_000 });
    assert.equal(byName(down, 'storage').status, 'fail');
    assert.match(byName(down, 'storage').detail, /Fix: /);
    assert.ok(!output(down).includes(key));

    const malformed = await runDoctor(env({ STORAGE_CONNECTION_STRING: `AccountKey=${key};nonsense` }));
    assert.equal(byName(malformed, 'storage').status, 'fail');
    assert.match(byName(malformed, 'storage').detail, /connection string/);
    assert.ok(!output(malformed).includes(key));
  });

  it('reports a Graph sandbox that does not answer, and an invalid configuration', async () => {
    const noSandbox = await runDoctor(env({ GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0' }));
    assert.equal(byName(noSandbox, 'graph').status, 'fail');
    assert.match(byName(noSandbox, 'graph').detail, /nothing answers.*Fix: /);

    const invalid = await runDoctor(env({ APPROVER_IDS: 'not-a-guid' }));
    assert.equal(invalid.ok, false);
    assert.equal(byName(invalid, 'configuration').status, 'fail');
    assert.match(byName(invalid, 'configuration').detail, /APPROVER_IDS/);
  });

  it('npm run doctor: one line per check, exit 1 when a check fails', async () => {
    const script = join(__dirname, '..', '..', 'tools', 'scripts', 'doctor.js');
    const run = (extra: Record<string, string>) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          [script],
          { env: { PATH: process.env.PATH ?? '', ...env(extra) }, cwd: __dirname, timeout: 40_000 },
          (error, stdout) => {
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout });
          },
        );
      });
    const good = await run({});
    assert.equal(good.code, 0, good.stdout);
    assert.equal(good.stdout.trim().split('\n').length, 6);
    const bad = await run({ GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0' });
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, /^FAIL {2}graph: /m);
  });
});
