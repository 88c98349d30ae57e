/**
 * Inbound authentication of /api/messages in production mode (MicrosoftAppId set), for each
 * MicrosoftAppType. Everything stays offline: tokens whose issuer botbuilder does not accept are
 * refused without any download, and for the rest the OpenID signing-key download is replaced by
 * fakeOpenIdMetadata (support.ts). Every refusal must leave no trace: nothing stored, nothing sent
 * to the connector, no Graph call, and the turn never runs.
 */
import { strict as assert } from 'node:assert';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { createHttpServer } from '../../src/server/httpServer';
import { cardOf, cardText, REQUESTER, useBotHarness } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { cardActionActivity, TEST_TENANT } from '../support/teamsActivities';
import {
  channelClaims,
  emulatorClaims,
  fakeOpenIdMetadata,
  newSigningKey,
  quietBotbuilderConsole,
  rawPost,
  sideEffects,
  signJwt,
  type SideEffects,
} from './support';

const APP_ID = '5f0e7c7a-3b1d-4c55-9a6e-2d8f1b0c4e11';
const OTHER_APP_ID = '0b9d1c2e-7f3a-4e8b-8c6d-5a4f3e2d1c0b';

/** What Microsoft signs with (the tests' stand-in), and what an attacker signs with. */
const GENUINE = newSigningKey('genuine-kid-1');
const ATTACKER = newSigningKey('attacker-kid');

const APP_TYPES: Array<{ type: string; env: Record<string, string> }> = [
  { type: 'MultiTenant', env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'MultiTenant' } },
  {
    type: 'SingleTenant',
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TEST_TENANT },
  },
  { type: 'UserAssignedMSI', env: { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TEST_TENANT } },
];

describe('inbound authentication', () => {
  let loud: (() => void) | undefined;
  before(() => {
    loud = quietBotbuilderConsole();
  });
  after(() => loud?.());

  for (const { type, env } of APP_TYPES) {
    describe(`MicrosoftAppType ${type}`, () => {
      const bot = useBotHarness({ env });
      let metadata: ReturnType<typeof fakeOpenIdMetadata>;
      let logMark = 0;

      beforeEach(() => {
        metadata = fakeOpenIdMetadata({ kind: 'keys', keys: [GENUINE] });
        logMark = bot.logLines.length;
      });
      afterEach(() => metadata.restore());

      const submission = () =>
        cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', {
          email: uniqueGuestEmail(),
          justification: 'Vendor onboarding',
          sendInvitationMessage: 'false',
        });

      async function expectRefused(authorization: string | undefined, activity: Record<string, unknown> = submission()): Promise<number> {
        const before: SideEffects = await sideEffects(bot, [REQUESTER.aadObjectId]);
        const answer = await rawPost(bot, JSON.stringify(activity), {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        });
        assert.equal(
          answer.status,
          401,
          `expected 401 for ${JSON.stringify(authorization?.slice(0, 60))}, got ${answer.status}: ${answer.text.slice(0, 200)}`,
        );
        assert.ok(answer.ms < 5000, `answered in ${answer.ms} ms`);
        assert.doesNotMatch(answer.text, /ENOTFOUND|login\.botframework|invalid signature|stack/i, 'no internals in the answer');
        assert.deepEqual(await sideEffects(bot, [REQUESTER.aadObjectId]), before, 'nothing stored, sent or invited');
        assert.ok(!bot.logLines.slice(logMark).some((l) => /request submitted/.test(l)), 'the turn never ran');
        return answer.ms;
      }

      it('refuses a request without Authorization with 401, offline', async () => {
        await expectRefused(undefined);
        assert.equal(metadata.lookups(), 0, 'no signing keys were needed');
      });

      it('refuses malformed Authorization headers with 401, offline', async () => {
        const jwtNoScheme = signJwt(channelClaims(APP_ID, bot.connector.url), GENUINE);
        for (const header of [
          '',
          'Bearer',
          'Bearer ',
          'Basic dXNlcjpwYXNzd29yZA==',
          'Bearer garbage',
          'Bearer a.b.c',
          'Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.',
          `Bearer ${'x'.repeat(8000)}`,
          `Bearer ${jwtNoScheme} trailing`,
          jwtNoScheme,
          // A well-signed token from an issuer botbuilder does not trust.
          `Bearer ${signJwt(channelClaims(APP_ID, bot.connector.url, { iss: 'https://evil.example' }), GENUINE)}`,
        ]) {
          await expectRefused(header);
        }
        assert.equal(metadata.lookups(), 0, 'none of these needed the signing keys (so none would touch the network)');
      });

      it('refuses a forged token (right iss/aud/serviceUrl, wrong key) with 401, not 500', async () => {
        // kid of the genuine key, signature by another key: botbuilder's verify throws a plain
        // JsonWebTokenError, which CloudAdapter alone turns into a 500 that echoes "invalid signature".
        await expectRefused(
          `Bearer ${signJwt(channelClaims(APP_ID, bot.connector.url), { kid: GENUINE.kid, privateKey: ATTACKER.privateKey })}`,
        );
        await expectRefused(`Bearer ${signJwt(channelClaims(APP_ID, bot.connector.url), ATTACKER)}`);
        await expectRefused(`Bearer ${signJwt(emulatorClaims(APP_ID), { kid: GENUINE.kid, privateKey: ATTACKER.privateKey })}`);
        assert.ok(metadata.lookups() > 0);
      });

      it('refuses an unsigned (alg "none") token with 401', async () => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: GENUINE.kid })).toString('base64url');
        const body = Buffer.from(JSON.stringify(channelClaims(APP_ID, bot.connector.url))).toString('base64url');
        await expectRefused(`Bearer ${header}.${body}.`);
      });

      it('refuses genuinely signed tokens for another bot, another serviceUrl, or expired', async () => {
        await expectRefused(`Bearer ${signJwt(channelClaims(OTHER_APP_ID, bot.connector.url), GENUINE)}`);
        await expectRefused(`Bearer ${signJwt(channelClaims(APP_ID, 'https://smba.trafficmanager.net/emea/'), GENUINE)}`);
        const past = Math.floor(Date.now() / 1000) - 7200;
        await expectRefused(
          `Bearer ${signJwt(channelClaims(APP_ID, bot.connector.url, { nbf: past - 60, iat: past - 60, exp: past }), GENUINE)}`,
        );
        await expectRefused(`Bearer ${signJwt(emulatorClaims(OTHER_APP_ID), GENUINE)}`);
      });

      it('answers 401 (not 500, not a hang) when the signing keys cannot be downloaded', async () => {
        metadata.restore();
        metadata = fakeOpenIdMetadata({ kind: 'unreachable' });
        const ms = await expectRefused(`Bearer ${signJwt(channelClaims(APP_ID, bot.connector.url), ATTACKER)}`);
        assert.ok(ms < 2000, `took ${ms} ms`);
        assert.equal(metadata.lookups(), 1);
      });

      it('control: a genuinely signed token for this bot is accepted (so the refusals above are the checks at work)', async () => {
        const activity = cardActionActivity(REQUESTER, bot.connector.url, 'openRequestForm', {});
        const answer = await bot.post(activity, { authorization: `Bearer ${signJwt(channelClaims(APP_ID, bot.connector.url), GENUINE)}` });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.match(cardText(cardOf(answer)), /email/i);
      });
    });
  }

  describe('a slow signing-key download', () => {
    it('is cut off with 401 after authTimeoutMs, and the turn does not run when the keys arrive later', async () => {
      // The keys arrive after 1.5 s and the token is genuine: without the cut-off the request would
      // wait for them and then run the turn.
      const metadata = fakeOpenIdMetadata({ kind: 'keys', keys: [GENUINE], delayMs: 1500 });
      const credentials = new ConfigurationServiceClientCredentialFactory({
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'x',
        MicrosoftAppType: 'MultiTenant',
      });
      const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, credentials));
      let turns = 0;
      const warnings: string[] = [];
      const server = createHttpServer({
        adapter,
        logic: async () => {
          turns++;
        },
        log: { info: () => undefined, warn: (_f, m) => warnings.push(m), error: () => undefined },
        authTimeoutMs: 300,
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const serviceUrl = 'https://smba.trafficmanager.net/emea/';
        const activity = cardActionActivity(REQUESTER, serviceUrl, 'openRequestForm', {});
        const started = Date.now();
        const response = await fetch(`http://127.0.0.1:${server.address().port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${signJwt(channelClaims(APP_ID, serviceUrl), GENUINE)}` },
          body: JSON.stringify(activity),
          signal: AbortSignal.timeout(5000),
        });
        const ms = Date.now() - started;
        assert.equal(response.status, 401);
        assert.ok(ms >= 250 && ms < 1400, `took ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 1700));
        assert.equal(metadata.lookups(), 1, 'the key look-up did finish');
        assert.equal(turns, 0, 'the turn never ran');
        assert.ok(warnings.some((w) => /not authenticated/.test(w)));
      } finally {
        metadata.restore();
        server.close();
      }
    });

    it('the refused activity is counted as answered at once, not when the keys finally arrive', async () => {
      const metadata = fakeOpenIdMetadata({ kind: 'keys', keys: [GENUINE], delayMs: 1500 });
      const credentials = new ConfigurationServiceClientCredentialFactory({
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'x',
        MicrosoftAppType: 'MultiTenant',
      });
      const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, credentials));
      let inProgress = 0;
      const server = createHttpServer({
        adapter,
        logic: async () => undefined,
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
        authTimeoutMs: 300,
        turnStarted: () => {
          inProgress++;
          return () => inProgress--;
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const serviceUrl = 'https://smba.trafficmanager.net/emea/';
        const response = await fetch(`http://127.0.0.1:${server.address().port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${signJwt(channelClaims(APP_ID, serviceUrl), GENUINE)}` },
          body: JSON.stringify(cardActionActivity(REQUESTER, serviceUrl, 'openRequestForm', {})),
          signal: AbortSignal.timeout(5000),
        });
        assert.equal(response.status, 401);
        assert.equal(inProgress, 0, 'counted out with the 401');
        await new Promise((resolve) => setTimeout(resolve, 1700));
        assert.equal(inProgress, 0, 'and only once');
      } finally {
        metadata.restore();
        server.close();
      }
    });
  });
});
