import assert from 'node:assert/strict';
import { startGraphSandbox, type RunningGraphSandbox } from '../../../tools/sandbox/graph/server';
import { assertGraphError, get, invitation, post, request } from './http';

describe('Graph sandbox: users', () => {
  let sandbox: RunningGraphSandbox;
  const ids: Record<string, string> = {};

  before(async () => {
    sandbox = await startGraphSandbox({
      host: '127.0.0.1',
      port: 0,
      users: [
        { id: 'u-dana', displayName: 'Dana', mail: 'dana@contoso.com', userPrincipalName: 'dana@contoso.onmicrosoft.com' },
        { id: 'u-obrien', displayName: "Pat O'Brien", mail: "o'brien@contoso.com" },
        {
          id: 'u-alias',
          displayName: 'Erin',
          mail: 'erin@contoso.com',
          otherMails: ['erin.private@example.org'],
          proxyAddresses: ['SMTP:erin@contoso.com', 'smtp:e.alias@contoso.com'],
        },
      ],
    });
  });
  after(() => sandbox.stop());
  beforeEach(async () => {
    sandbox.state.reset();
    const invited = await post(`${sandbox.baseUrl}/invitations`, invitation({ invitedUserEmailAddress: 'Frank@Fabrikam.com' }));
    ids.frank = invited.body.invitedUser.id;
  });

  const filter = (expression: string): Promise<string[]> =>
    get(`${sandbox.baseUrl}/users?$filter=${encodeURIComponent(expression)}`).then((answer) => {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.value.map((user: { id: string }) => user.id).sort();
    });

  it('lists users with the documented envelope and default properties', async () => {
    const answer = await get(`${sandbox.baseUrl}/users`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body['@odata.context'], `${sandbox.baseUrl}/$metadata#users`);
    assert.equal(answer.body.value.length, 4);
    const dana = answer.body.value.find((user: { id: string }) => user.id === 'u-dana');
    assert.deepEqual(Object.keys(dana).sort(), ['displayName', 'externalUserState', 'id', 'mail', 'userPrincipalName', 'userType']);
    assert.equal(dana.userType, 'Member');
    assert.equal(dana.externalUserState, null);
  });

  it("filters on mail eq '…', case-insensitively", async () => {
    assert.deepEqual(await filter("mail eq 'DANA@contoso.com'"), ['u-dana']);
    assert.deepEqual(await filter("mail eq 'frank@fabrikam.com'"), [ids.frank]);
    assert.deepEqual(await filter("mail eq 'nobody@contoso.com'"), []);
  });

  it("filters on userPrincipalName eq '…', including a guest's #EXT# name", async () => {
    assert.deepEqual(await filter("userPrincipalName eq 'dana@contoso.onmicrosoft.com'"), ['u-dana']);
    assert.deepEqual(await filter("userPrincipalName eq 'frank_fabrikam.com#EXT#@contoso.onmicrosoft.com'"), [ids.frank]);
  });

  it('filters on otherMails/any and proxyAddresses/any', async () => {
    assert.deepEqual(await filter("otherMails/any(x:x eq 'Erin.Private@example.org')"), ['u-alias']);
    assert.deepEqual(await filter("proxyAddresses/any(p:p eq 'smtp:e.alias@contoso.com')"), ['u-alias']);
    assert.deepEqual(await filter("proxyAddresses/any(x:x eq 'SMTP:frank@fabrikam.com')"), [ids.frank]);
  });

  it('joins clauses with or (the recommended look-up by email)', async () => {
    const address = 'e.alias@contoso.com';
    const expression = `mail eq '${address}' or otherMails/any(x:x eq '${address}') or proxyAddresses/any(x:x eq 'smtp:${address}') or userPrincipalName eq '${address}'`;
    assert.deepEqual(await filter(expression), ['u-alias']);
    assert.deepEqual(await filter("(mail eq 'dana@contoso.com') or (mail eq 'erin@contoso.com')"), ['u-alias', 'u-dana']);
  });

  it("reads '' inside a literal as one quote", async () => {
    assert.deepEqual(await filter("mail eq 'o''brien@contoso.com'"), ['u-obrien']);
  });

  it('refuses filters it does not support, with a Graph error', async () => {
    const answer = await get(`${sandbox.baseUrl}/users?$filter=${encodeURIComponent("startswith(mail,'d')")}`);
    assert.equal(answer.status, 400);
    assertGraphError(answer, 'Request_UnsupportedQuery', /Unsupported or invalid query filter/);
  });

  it('honours $select and always returns id', async () => {
    const answer = await get(
      `${sandbox.baseUrl}/users?$filter=${encodeURIComponent("mail eq 'erin@contoso.com'")}&$select=mail,otherMails`,
    );
    assert.equal(answer.body['@odata.context'], `${sandbox.baseUrl}/$metadata#users(mail,otherMails)`);
    assert.deepEqual(answer.body.value, [{ id: 'u-alias', mail: 'erin@contoso.com', otherMails: ['erin.private@example.org'] }]);
    const wrong = await get(`${sandbox.baseUrl}/users?$select=shoeSize`);
    assert.equal(wrong.status, 400);
    assertGraphError(wrong, 'BadRequest', /Could not find a property named 'shoeSize'/);
  });

  it('pages with $top and an opaque @odata.nextLink', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${sandbox.baseUrl}/users?$top=3`;
    let pages = 0;
    while (url) {
      const answer = await get(url);
      assert.equal(answer.status, 200);
      seen.push(...answer.body.value.map((user: { id: string }) => user.id));
      url = answer.body['@odata.nextLink'];
      pages += 1;
    }
    assert.equal(pages, 2);
    assert.equal(new Set(seen).size, 4);
    assert.equal((await get(`${sandbox.baseUrl}/users?$top=1000`)).status, 400);
  });

  it('gets one user by id or by userPrincipalName', async () => {
    const byId = await get(`${sandbox.baseUrl}/users/u-dana`);
    assert.equal(byId.status, 200);
    assert.equal(byId.body['@odata.context'], `${sandbox.baseUrl}/$metadata#users/$entity`);
    assert.equal(byId.body.mail, 'dana@contoso.com');
    const byUpn = await get(`${sandbox.baseUrl}/users/${encodeURIComponent('dana@contoso.onmicrosoft.com')}`);
    assert.equal(byUpn.body.id, 'u-dana');
  });

  it('answers 404 Request_ResourceNotFound for an unknown user', async () => {
    const answer = await get(`${sandbox.baseUrl}/users/00000000-0000-0000-0000-000000000000`);
    assert.equal(answer.status, 404);
    assertGraphError(answer, 'Request_ResourceNotFound', /does not exist/);
  });

  it('answers a Graph-shaped 404 for unknown routes and 405 for a wrong method', async () => {
    const unknown = await get(`${sandbox.baseUrl}/me/drive`);
    assert.equal(unknown.status, 404);
    assertGraphError(unknown, 'ResourceNotFound', /segment 'drive'/);
    const outside = await get(sandbox.baseUrl.replace('/v1.0', '/beta/users'));
    assert.equal(outside.status, 404);
    const wrongMethod = await request('DELETE', `${sandbox.baseUrl}/users`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');
    assertGraphError(wrongMethod, 'Request_BadRequest', /not allowed/);
    const getInvitations = await get(`${sandbox.baseUrl}/invitations`);
    assert.equal(getInvitations.status, 405);
  });
});
