/**
 * Bot Connector clients are built once and used again (src/adapters/teams/connectorDeadline.ts):
 * botbuilder's factories, one per turn and per proactive call, build a new client each time; the
 * real factories are driven here, with credentials that count how often they are made.
 */
import { strict as assert } from 'node:assert';
import { clientKey, DeadlineBotFrameworkAuthentication } from '../../../src/adapters/teams/connectorDeadline';

type Auth = DeadlineBotFrameworkAuthentication;
type Inner = ConstructorParameters<typeof DeadlineBotFrameworkAuthentication>[0];
type Identity = Parameters<Auth['createConnectorFactory']>[0];

/** Credentials for app `app-id`; `made` counts the credentials built; `failing` makes the next build fail. */
function countingCredentials(): { factory: Inner; made: () => number; failNext: () => void } {
  let made = 0;
  let fail = false;
  const factory = {
    isValidAppId: async () => true,
    isAuthenticationDisabled: async () => false,
    createCredentials: async () => {
      if (fail) {
        fail = false;
        throw new Error('login refused');
      }
      made++;
      return { getToken: async () => 'token', signRequest: async (request: unknown) => request };
    },
  } as unknown as Inner;
  return { factory, made: () => made, failNext: () => (fail = true) };
}

/** What a turn's token says about the bot: its app id as the audience. */
function identity(appId: string): Identity {
  const claims = [
    { type: 'aud', value: appId },
    { type: 'appid', value: appId },
    { type: 'ver', value: '1.0' },
  ];
  return {
    claims,
    isAuthenticated: true,
    getClaimValue: (type: string) => claims.find((c) => c.type === type)?.value ?? null,
  };
}

const EMEA = 'https://smba.trafficmanager.net/emea/';
const AMER = 'https://smba.trafficmanager.net/amer/';

describe('Bot Connector clients: built once, used by every turn', () => {
  it('turns and proactive calls to one service URL share one client, its deadlines set once; another URL or audience gets its own', async () => {
    const credentials = countingCredentials();
    const auth = new DeadlineBotFrameworkAuthentication(credentials.factory, 1000);
    // Each turn, and each proactive call, gets a factory of its own from botbuilder.
    const [first, second] = [auth.createConnectorFactory(identity('app-id')), auth.createConnectorFactory(identity('app-id'))];
    assert.notEqual(first, second);
    const a = await first.create(EMEA);
    const b = await second.create(EMEA);
    const [c, d] = await Promise.all([first.create(EMEA), second.create(EMEA)]);
    assert.equal(a, b, 'the same client for the same URL and identity');
    assert.equal(a, c);
    assert.equal(a, d);
    assert.equal(credentials.made(), 1, 'its credentials built once');
    // The deadline wrapper is put on once, not once more per use.
    const operations = a.conversations as unknown as Record<string, unknown>;
    const send = operations.sendToConversation;
    await second.create(EMEA);
    assert.equal(operations.sendToConversation, send);

    const other = await first.create(AMER);
    assert.notEqual(other, a, 'another service URL: another client');
    const otherAudience = await first.create(EMEA, 'https://api.botframework.us');
    assert.notEqual(otherAudience, a, 'another audience: another client');
    const otherApp = await auth.createConnectorFactory(identity('other-app')).create(EMEA);
    assert.notEqual(otherApp, a, 'another app id: another client');
    assert.equal(credentials.made(), 4);
  });

  it('the user-token client botbuilder builds for every turn is kept per app id too', async () => {
    const credentials = countingCredentials();
    const auth = new DeadlineBotFrameworkAuthentication(credentials.factory, 1000);
    const [a, b] = await Promise.all([auth.createUserTokenClient(identity('app-id')), auth.createUserTokenClient(identity('app-id'))]);
    assert.equal(a, b);
    assert.equal(await auth.createUserTokenClient(identity('app-id')), a);
    assert.notEqual(await auth.createUserTokenClient(identity('other-app')), a);
    assert.equal(credentials.made(), 2);
  });

  it('a client whose credentials could not be built is not kept: the next call builds again', async () => {
    const credentials = countingCredentials();
    const auth = new DeadlineBotFrameworkAuthentication(credentials.factory, 1000);
    credentials.failNext();
    await assert.rejects(auth.createConnectorFactory(identity('app-id')).create(EMEA), /login refused/);
    const client = await auth.createConnectorFactory(identity('app-id')).create(EMEA);
    assert.ok(client.conversations);
    assert.equal(credentials.made(), 1);
  });

  it('the key is what botbuilder builds a client from; a factory of any other shape is not cached', () => {
    const factory = {
      appId: 'app',
      toChannelFromBotOAuthScope: 'https://api.botframework.com',
      loginEndpoint: 'https://login',
      validateAuthority: true,
    };
    const key = (f: object, url: string, audience?: string) => clientKey(f as Parameters<typeof clientKey>[0], url, audience);
    assert.equal(key(factory, EMEA), key(factory, EMEA, 'https://api.botframework.com'), 'no audience: the factory default');
    assert.notEqual(key(factory, EMEA), key({ ...factory, validateAuthority: false }, EMEA));
    assert.notEqual(key(factory, EMEA), key({ ...factory, loginEndpoint: 'https://login.us' }, EMEA));
    assert.equal(key({ create: () => undefined }, EMEA), undefined);
    assert.equal(key({ ...factory, appId: 42 }, EMEA), undefined);
  });
});
