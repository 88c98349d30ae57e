import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOptionalEnvFile } from '../../src/config/envFile';

describe('the optional .env file (process.loadEnvFile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envfile-'));
  const names = ['ENVFILE_TEST_FROM_FILE', 'ENVFILE_TEST_ALREADY_SET'];
  afterEach(() => names.forEach((name) => delete process.env[name]));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the variables of the file; a variable already in the environment wins', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'ENVFILE_TEST_FROM_FILE=from-file\nENVFILE_TEST_ALREADY_SET=from-file\n');
    process.env.ENVFILE_TEST_ALREADY_SET = 'from-environment';
    loadOptionalEnvFile(file);
    assert.equal(process.env.ENVFILE_TEST_FROM_FILE, 'from-file');
    assert.equal(process.env.ENVFILE_TEST_ALREADY_SET, 'from-environment');
  });

  it('a missing file is fine; a path that cannot be read as a file is an error', () => {
    assert.doesNotThrow(() => loadOptionalEnvFile(join(dir, 'missing.env')));
    assert.equal(process.env.ENVFILE_TEST_FROM_FILE, undefined);
    assert.throws(
      () => loadOptionalEnvFile(dir),
      (err: NodeJS.ErrnoException) => err.code !== 'ENOENT',
    );
  });
});
