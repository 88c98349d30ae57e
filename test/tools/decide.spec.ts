/**
 * `npm run decide` against the real bot (BotHarness): it runs the built script, prints what the bot
 * answered, and a second decision prints the bot's refusal, never a success it did not report.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ANNA, BEN } from '../../tools/teamsActivities';
import { BotHarness, REQUESTER } from '../support/botHarness';
import { TEST_TENANT } from '../support/teamsActivities';

const SCRIPT = join(__dirname, '..', '..', 'tools', 'scripts', 'decide.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

describe('npm run decide', function () {
  this.timeout(60_000);
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
  });
  after(async () => {
    await bot?.stop();
  });

  const decide = (...args: string[]): Promise<Run> => {
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [SCRIPT, ...args],
        { env: { ...process.env, DECIDE_BOT_URL: bot.url, DECIDE_SERVICE_URL: bot.connector.url, DECIDE_TENANT_ID: TEST_TENANT } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, ms: Date.now() - started }),
      );
    });
  };

  const submit = async (guest: string) =>
    (
      await bot.submit(REQUESTER, {
        email: guest,
        displayName: 'Fran Falcon',
        justification: 'Joint project Falcon: shared design reviews',
      })
    ).requestId;

  it("approves as Anna and prints the bot's status; a second decision as Ben prints the bot's refusal and fails", async () => {
    const requestId = await submit(`decide.${Date.now()}@fabrikam.example`);

    const first = await decide(requestId);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, new RegExp(`^${ANNA.name} approved ${requestId}\\. The bot answered: Approved by ${ANNA.name}`));
    assert.ok(first.ms < 5000, `decide took ${first.ms} ms`);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))?.value.decision?.by.name, ANNA.name);

    const second = await decide(requestId, '--as', 'ben');
    assert.equal(second.code, 1, 'a refused decision is a failure');
    assert.match(
      second.stdout,
      new RegExp(`^${BEN.name} could not approve ${requestId}\\. The bot answered: Already decided by ${ANNA.name}\\.`),
    );
    assert.doesNotMatch(second.stdout, /Ben Approver approved/);
    assert.ok(second.ms < 5000, `decide took ${second.ms} ms`);
  });

  it("prints the bot's answer for a request it does not know, and fails", async () => {
    const run = await decide('GR-0000000000', '--deny', 'not needed');
    assert.equal(run.code, 1);
    assert.match(run.stdout, /could not deny GR-0000000000\. The bot answered: .+/);
  });

  it('says the bot is not running instead of pretending', async () => {
    const run = await new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        [SCRIPT, 'GR-0000000000'],
        { env: { ...process.env, DECIDE_BOT_URL: 'http://127.0.0.1:9' } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, ms: 0 }),
      );
    });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /did not answer.*npm run dev/);
  });
});
