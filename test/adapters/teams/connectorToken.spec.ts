/**
 * The bot's Bot Connector token within a deadline (src/adapters/teams/connectorDeadline.ts,
 * TokenDeadlineCredentialsFactory). MSAL's token request has no time-out; here the inner factory's
 * credentials stand in for a login endpoint that never answers (and count how often they are asked).
 */
import { strict as assert } from 'node:assert';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TokenDeadlineCredentialsFactory } from '../../../src/adapters/teams/connectorDeadline';
import { withDeadline } from '../../../src/adapters/system/deadlines';

type Inner = ConstructorParameters<typeof TokenDeadlineCredentialsFactory>[0];

/** Credentials whose token request never answers; `asked` counts the requests. */
function silentLogin(): { factory: Inner; asked: () => number } {
  let asked = 0;
  const factory = {
    isValidAppId: async () => true,
    isAuthenticationDisabled: async () => false,
    createCredentials: async () => ({
      getToken: () => {
        asked++;
        return new Promise<string>(() => undefined);
      },
      signRequest: async (request: unknown) => request,
    }),
  } as unknown as Inner;
  return { factory, asked: () => asked };
}

const create = async (f: TokenDeadlineCredentialsFactory) =>
  (await f.createCredentials('app', 'https://api.botframework.com', 'https://login.microsoftonline.com/tenant', true)) as unknown as {
    getToken(forceRefresh?: boolean): Promise<string>;
  };

describe('Bot Connector token: a login endpoint that never answers', () => {
  it('every caller is answered at the deadline, and the clients of all turns share one token request', async () => {
    const login = silentLogin();
    const factory = new TokenDeadlineCredentialsFactory(login.factory, 400);
    // botbuilder makes new credentials for each connector client (each turn, each proactive send).
    const [first, second] = [await create(factory), await create(factory)];
    const started = Date.now();
    const results = await Promise.allSettled([first.getToken(), second.getToken(), first.getToken()]);
    const ms = Date.now() - started;
    assert.ok(ms >= 350 && ms < 2000, `answered after ${ms} ms`);
    assert.ok(results.every((r) => r.status === 'rejected' && /Bot Connector token: no answer within 400 ms/.test(String(r.reason))));
    assert.equal(login.asked(), 1, 'one token request for three callers on two clients');
    await assert.rejects(first.getToken(), /no answer within 400 ms/);
    assert.equal(login.asked(), 2, 'a failed refresh is not kept: the next call asks again');
  });

  it("a caller with its own shorter deadline (a click's budget) stops waiting at it", async () => {
    const factory = new TokenDeadlineCredentialsFactory(silentLogin().factory, 5000);
    const credentials = await create(factory);
    await assert.rejects(
      withDeadline(200, 'a card click', () => credentials.getToken()),
      /a card click: no answer within 200 ms/,
    );
  });

  it('leaves local mode (no app id) as it is: botbuilder hands out one shared empty instance, never wrapped', async () => {
    const factory = new TokenDeadlineCredentialsFactory(new ConfigurationServiceClientCredentialFactory({}), 100);
    const first = await factory.createCredentials('', undefined, '', true);
    const second = await factory.createCredentials('', undefined, '', true);
    assert.equal(first, second, 'the same instance each time');
    assert.equal(Object.prototype.hasOwnProperty.call(first, 'getToken'), false, 'not changed');
  });

  it('never changes the credentials it is given: one instance handed out again is not wrapped again (a leak per turn)', async () => {
    const instance = {
      getToken: async () => 'token',
      signRequest: async (request: unknown) => request,
    };
    const inner = { ...silentLogin().factory, createCredentials: async () => instance } as unknown as Inner;
    const factory = new TokenDeadlineCredentialsFactory(inner, 1000);
    const views = [];
    for (let i = 0; i < 3; i++) views.push(await create(factory));
    assert.equal(instance.getToken.name, 'getToken', 'the instance keeps its own getToken');
    for (const view of views) assert.equal(await view.getToken(), 'token');
    assert.equal(Object.getPrototypeOf(views[0]), instance, "a view whose other members are the instance's");
  });
});
