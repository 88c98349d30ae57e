/** The sandbox's Teams app routes over HTTP: catalog by externalId, install (201 / 409 / 403 / 404), installations, their chat; the controls. */
import assert from 'node:assert/strict';
import { startGraphSandbox, type RunningGraphSandbox } from '../../../tools/sandbox/graph/server';
import { assertGraphError, get, post } from './http';

describe('Graph sandbox: Teams app installation for users', () => {
  let sandbox: RunningGraphSandbox;
  const EXTERNAL = 'a1b2c3d4-0000-4000-8000-00000000a11c';
  let control: string;
  let catalogId: string;

  before(async () => {
    sandbox = await startGraphSandbox({
      host: '127.0.0.1',
      port: 0,
      users: [
        { id: 'u1', displayName: 'One' },
        { id: 'u2', displayName: 'Two' },
      ],
    });
    control = `${sandbox.baseUrl.replace(/\/v1\.0$/, '')}/_sandbox`;
  });
  after(() => sandbox.stop());
  beforeEach(async () => {
    sandbox.state.reset();
    const seeded = await post(`${control}/teamsApps`, { externalId: EXTERNAL });
    assert.equal(seeded.status, 201);
    catalogId = seeded.body.id;
  });
  const bind = (id: string) => ({ 'teamsApp@odata.bind': `${sandbox.baseUrl}/appCatalogs/teamsApps/${id}` });
  const filterCatalog = (id: string) => `${sandbox.baseUrl}/appCatalogs/teamsApps?$filter=${encodeURIComponent(`externalId eq '${id}'`)}`;

  it('finds the app by externalId; an unknown id lists nothing; another filter is a 400', async () => {
    const found = await get(filterCatalog(EXTERNAL));
    assert.equal(found.status, 200);
    assert.deepEqual(
      found.body.value.map((a: { id: string; externalId: string }) => [a.id, a.externalId]),
      [[catalogId, EXTERNAL]],
    );
    assert.deepEqual((await get(filterCatalog('nope'))).body.value, []);
    assertGraphError(
      await get(`${sandbox.baseUrl}/appCatalogs/teamsApps?$filter=${encodeURIComponent("displayName eq 'x'")}`),
      'BadRequest',
      /filter/,
    );
  });

  it('installs (201), then 409 Conflict; the installation and its chat can be read', async () => {
    assert.equal((await post(`${sandbox.baseUrl}/users/u1/teamwork/installedApps`, bind(catalogId))).status, 201);
    const again = await post(`${sandbox.baseUrl}/users/u1/teamwork/installedApps`, bind(catalogId));
    assert.equal(again.status, 409);
    assertGraphError(again, 'Conflict', /already installed/);
    const filter = encodeURIComponent(`teamsApp/externalId eq '${EXTERNAL}'`);
    const listed = await get(`${sandbox.baseUrl}/users/u1/teamwork/installedApps?$expand=teamsAppDefinition&$filter=${filter}`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.value.length, 1);
    assert.equal(listed.body.value[0].teamsAppDefinition.teamsAppId, catalogId);
    const chat = await get(`${sandbox.baseUrl}/users/u1/teamwork/installedApps/${listed.body.value[0].id}/chat`);
    assert.equal(chat.status, 200);
    assert.match(chat.body.id, /^19:.*@unq\.gbl\.spaces$/);
    assert.equal((await get(`${sandbox.baseUrl}/users/u2/teamwork/installedApps?$filter=${filter}`)).body.value.length, 0);
    assertGraphError(await get(`${sandbox.baseUrl}/users/u1/teamwork/installedApps/nope/chat`), 'NotFound', /nope/);
  });

  it('refuses: an unknown user (404), a user the policy blocks (403), an app not in the catalog (404), a body without the bind (400)', async () => {
    assertGraphError(
      await post(`${sandbox.baseUrl}/users/ghost/teamwork/installedApps`, bind(catalogId)),
      'Request_ResourceNotFound',
      /ghost/,
    );
    assert.equal((await post(`${control}/appInstallations`, { userId: 'u2', refuse: 403 })).status, 200);
    const blocked = await post(`${sandbox.baseUrl}/users/u2/teamwork/installedApps`, bind(catalogId));
    assert.equal(blocked.status, 403);
    assertGraphError(blocked, 'Forbidden', /policy/);
    await post(`${control}/appInstallations`, { userId: 'u2', refuse: null });
    assertGraphError(await post(`${sandbox.baseUrl}/users/u2/teamwork/installedApps`, bind('not-there')), 'NotFound', /not-there/);
    assertGraphError(
      await post(`${sandbox.baseUrl}/users/u2/teamwork/installedApps`, { teamsApp: 'x' }),
      'BadRequest',
      /teamsApp@odata\.bind/,
    );
    assert.equal(sandbox.state.teamsApps.installs.length, 0, 'nothing installed');
  });

  it('the control marks a user as having the app (then 409) or not, and lists what the bot installed', async () => {
    await post(`${control}/appInstallations`, { userId: 'u1', externalId: EXTERNAL, installed: true });
    assert.equal((await post(`${sandbox.baseUrl}/users/u1/teamwork/installedApps`, bind(catalogId))).status, 409);
    await post(`${control}/appInstallations`, { userId: 'u1', externalId: EXTERNAL, installed: false });
    assert.equal((await post(`${sandbox.baseUrl}/users/u1/teamwork/installedApps`, bind(catalogId))).status, 201);
    const installs = await get(`${control}/appInstallations`);
    assert.deepEqual(
      installs.body.value.map((i: { userId: string }) => i.userId),
      ['u1'],
    );
    assert.equal((await post(`${control}/appInstallations`, { userId: 'u1', refuse: 500 })).status, 400);
  });
});
