/**
 * Secrets never reach a log line: a full flow (submit → approve → invited, plus a throttled Graph
 * call, a connector hiccup and a permanently failing invitation, so the warning and error paths
 * log too) with an app password, the storage connection string and a Graph bearer token in play.
 * Everything the process writes is captured: the pino log (at trace level) and console output.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { GraphDirectory } from '../../src/adapters/graph/graphDirectory';
import { createLogger } from '../../src/logging';
import { APPROVERS, BotHarness, cardOf, cardText, REQUESTER, requestIdIn } from '../support/botHarness';
import { testGraphBaseUrl, testStorageConnectionString } from '../support/env';
import { invitationsFor, scriptGraphFaults, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const [ANNA] = APPROVERS as [TeamsPerson];
const APP_PASSWORD = `Xq8~${randomBytes(12).toString('base64url')}`;
const GRAPH_TOKEN = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${randomBytes(24).toString('base64url')}.${randomBytes(16).toString('base64url')}`;

describe('secrets stay out of the logs', () => {
  let bot: BotHarness;
  const lines: string[] = [];
  const consoleLines: string[] = [];
  const restoreConsole: Array<() => void> = [];

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const log = createLogger('trace', sink);
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was, on console itself
      const original = console[method];
      console[method] = (...args: unknown[]) => {
        consoleLines.push(
          args
            .map((a) => (a instanceof Error ? `${a.stack} ${JSON.stringify(a)}` : typeof a === 'string' ? a : JSON.stringify(a)))
            .join(' '),
        );
      };
      restoreConsole.push(() => (console[method] = original));
    }
    // The Graph adapter sends a bearer token (the sandbox accepts any) and logs through the app log.
    const directory = new GraphDirectory({ baseUrl: testGraphBaseUrl(), getToken: async () => GRAPH_TOKEN, logger: log, pacer: null });
    bot = await BotHarness.start({
      env: { MicrosoftAppPassword: APP_PASSWORD, LOG_LEVEL: 'trace' },
      overrides: { log, directory },
    });
  });
  after(async () => {
    await bot?.stop();
    restoreConsole.forEach((restore) => restore());
  });

  it('no log line holds the redeem URL, the account key, the connection string, the app password or a bearer token', async () => {
    // Invited, after one throttled Graph call and one failed connector call.
    const email = uniqueGuestEmail();
    const submitted = await bot.invoke(REQUESTER, 'submitRequest', {
      email,
      justification: 'Secrets check',
      message: 'Welcome',
      sendInvitationMessage: 'false',
    });
    const requestId = requestIdIn(cardOf(submitted));
    await bot.idle();
    await scriptGraphFaults([{ status: 429, retryAfterSeconds: 0 }]);
    bot.connector.scriptFaults([{ operation: 'updateActivity', status: 500 }]);
    await bot.invoke(ANNA, 'approve', { requestId });
    await bot.idle();
    const invited = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(invited.status, 'Invited');
    const redeemUrl = invited.invitation!.redeemUrl;
    const calls = await invitationsFor(email);
    assert.ok(
      calls.length >= 2 && calls.every((c) => (c as unknown as { bearerToken: boolean }).bearerToken),
      'Graph got the bearer token, twice',
    );
    const told = bot.connector.messagesIn(`a:personal-${REQUESTER.aadObjectId}`).some((c) => cardText(cardOf(c)).includes(redeemUrl));
    assert.ok(told, 'the redeem URL did reach the requester (so there was something to leak)');

    // Failed: Graph refuses for good, the error text flows into logs and messages.
    const failing = uniqueGuestEmail();
    const second = requestIdIn(cardOf(await bot.invoke(REQUESTER, 'submitRequest', { email: failing, justification: 'Will fail' })));
    await bot.idle();
    await scriptGraphFaults([
      { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
    ]);
    await bot.invoke(ANNA, 'approve', { requestId: second });
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(second))!.value.status, 'Failed');

    const connectionString = testStorageConnectionString();
    const accountKey = /AccountKey=([^;]+)/.exec(connectionString)?.[1];
    assert.ok(accountKey, 'the Azurite connection string has an account key');
    const secrets: Array<[string, string]> = [
      ['redeem URL', redeemUrl],
      ['redeem URL (escaped)', JSON.stringify(redeemUrl).slice(1, -1)],
      ['account key', accountKey],
      ['connection string', connectionString],
      ['app password', APP_PASSWORD],
      ['Graph token', GRAPH_TOKEN],
      ['Graph token (signature part)', GRAPH_TOKEN.split('.')[2]!],
    ];
    assert.ok(lines.length >= 8, `the flow logged (${lines.length} lines)`);
    assert.ok(lines.some((l) => /retrying/i.test(l)) && lines.some((l) => /refused the call/i.test(l)), 'warning paths were taken');
    for (const [source, output] of [
      ['log', lines],
      ['console', consoleLines],
      ['bot.logLines', bot.logLines],
    ] as const) {
      for (const line of output) {
        for (const [name, secret] of secrets)
          assert.equal(line.includes(secret), false, `${source} leaks the ${name}: ${line.slice(0, 200)}`);
        assert.doesNotMatch(line, /Bearer\s/i, `${source} has a bearer token: ${line.slice(0, 200)}`);
      }
    }
  });

  it('the logger censors secret-named fields even when a careless call passes them', () => {
    const captured: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (captured.push(chunk.toString('utf8')), done()) }));
    log.info(
      {
        token: GRAPH_TOKEN,
        authorization: `Bearer ${GRAPH_TOKEN}`,
        headers: { authorization: `Bearer ${GRAPH_TOKEN}` },
        password: APP_PASSWORD,
        clientSecret: APP_PASSWORD,
        connectionString: testStorageConnectionString(),
        redeemUrl: 'https://login.microsoftonline.com/redeem?rd=secret-ticket',
        invitation: { inviteRedeemUrl: 'https://login.microsoftonline.com/redeem?rd=secret-ticket', token: GRAPH_TOKEN },
        storage: { connectionString: testStorageConnectionString(), password: APP_PASSWORD },
      },
      'careless',
    );
    const line = captured.join('');
    assert.match(line, /careless/);
    for (const secret of [GRAPH_TOKEN, APP_PASSWORD, testStorageConnectionString(), 'secret-ticket'])
      assert.equal(line.includes(secret), false, `leaked: ${line}`);
    assert.doesNotMatch(line, /Bearer\s/);
  });
});
