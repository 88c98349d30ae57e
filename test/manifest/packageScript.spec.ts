import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { TEST_BOT_ID, TEST_DOMAIN, projectRoot } from './helpers';

/** The compiled tools/scripts/package.ts, next to this compiled test (build/test/manifest → build/tools/scripts). */
const script = join(__dirname, '..', '..', 'tools', 'scripts', 'package.js');

function run(env: Record<string, string>, out: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [script, '--out', out], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...env }, // nothing inherited: a developer's MicrosoftAppId must not leak in
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tools/scripts/package.ts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gab-package-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes appPackage.zip for a test bot id', function () {
    this.timeout(60000);
    const out = join(dir, 'appPackage.zip');
    const result = run({ MicrosoftAppId: TEST_BOT_ID, BOT_DOMAIN: TEST_DOMAIN }, out);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^package: wrote .*appPackage\.zip .*manifest 1\.\d+/);
    const names = Object.keys(unzipSync(readFileSync(out))).sort();
    assert.deepEqual(names, ['color.png', 'de-de.json', 'manifest.json', 'outline.png']);
  });

  it('refuses a missing MicrosoftAppId with one clear line and exit code 1, writing nothing', function () {
    this.timeout(60000);
    const out = join(dir, 'appPackage.zip');
    const result = run({ BOT_DOMAIN: TEST_DOMAIN }, out);
    assert.equal(result.status, 1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('package: ') && !line.startsWith('package: warning:'));
    assert.equal(errors.length, 2, result.stderr);
    assert.match(errors[0] ?? '', /^package: MicrosoftAppId is not set: give the bot's Microsoft App ID/);
    assert.equal(errors[1], 'package: refused (1 problem); nothing written');
    assert.equal(existsSync(out), false);
  });
});
