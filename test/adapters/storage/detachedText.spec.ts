/**
 * An eTag the store keeps must not keep the batch response it was parsed from alive
 * (src/adapters/storage/detachedText.ts). V8 shows a string's representation only to code run
 * with --allow-natives-syntax, so the check runs in a child node with that flag.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'src');

/** The V8 representation ("SLICED_ONE_BYTE_STRING_TYPE", …) of each string the script prints with %DebugPrint. */
function representations(script: string): string[] {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8', timeout: 10_000 });
  return [...out.matchAll(/type: (\w+_STRING_TYPE)/g)].map((m) => m[1] as string);
}

describe('eTags kept by the store are detached from the response they came in', () => {
  it('a sub-response eTag parsed as the SDK parses a batch response is a slice of it; etagAt returns a string of its own', () => {
    const module = JSON.stringify(join(SRC, 'adapters', 'storage', 'detachedText.js'));
    const [parsed, kept] = representations(`
      const { etagAt } = require(${module});
      // What @azure/data-tables does with a batch response: split on the changeset boundary, then
      // match the ETag header in each part (TableTransaction.js, parseTransactionResponse).
      const body = '--batchresponse_1\\r\\n' + 'Content-Type: application/http\\r\\n'.repeat(40) +
        '--changesetresponse_2\\r\\nHTTP/1.1 204 No Content\\r\\nETag: W/"datetime\\'2026-12-05T09%3A00%3A12.1234567Z\\'"\\r\\n\\r\\n--changesetresponse_2--';
      const etag = body.split('--changesetresponse_')[1].match(/ETag: (.*)/)[1];
      const result = { status: 202, subResponses: [{ status: 204, etag }] };
      if (etagAt(result, 0) !== etag) throw new Error('not the same eTag');
      %DebugPrint(etag);
      %DebugPrint(etagAt(result, 0));
    `);
    assert.match(parsed ?? '', /SLICED/, 'the control: what the SDK hands back is a view into the whole response');
    assert.match(kept ?? '', /^SEQ_/, 'what the store keeps is a plain string of its own');
  });

  it('the store reads transaction sub-responses only through etagAt', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (
          entry.name.endsWith('.js') &&
          !entry.name.startsWith('detachedText') &&
          /\bsubResponses\b/.test(readFileSync(path, 'utf8'))
        )
          offenders.push(path);
      }
    };
    walk(SRC);
    assert.deepEqual(offenders, []);
  });
});
