import assert from 'node:assert/strict';
import { startGraphSandbox, type RunningGraphSandbox } from '../../../tools/sandbox/graph/server';
import { assertGraphError, get, post, request } from './http';

describe('Graph sandbox: groups', () => {
  let sandbox: RunningGraphSandbox;
  const ref = (id: string): object => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

  before(async () => {
    sandbox = await startGraphSandbox({
      host: '127.0.0.1',
      port: 0,
      users: [
        { id: 'u1', displayName: 'One', mail: 'one@contoso.com' },
        { id: 'u2', displayName: 'Two', mail: 'two@contoso.com' },
        { id: 'u3', displayName: 'Three', mail: 'three@contoso.com' },
      ],
      groups: [
        { id: 'g-inner', displayName: 'Inner', memberIds: ['u2', 'u3'] },
        { id: 'g-approvers', displayName: 'Approvers', memberIds: ['u1', 'g-inner', 'u2'] },
      ],
    });
  });
  after(() => sandbox.stop());
  beforeEach(() => sandbox.state.reset());

  it('gets a group', async () => {
    const answer = await get(`${sandbox.baseUrl}/groups/g-approvers`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.displayName, 'Approvers');
  });

  it('lists transitive members once each, nested groups included, with $select=id', async () => {
    const answer = await get(`${sandbox.baseUrl}/groups/g-approvers/transitiveMembers?$select=id`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body['@odata.context'], `${sandbox.baseUrl}/$metadata#directoryObjects(id)`);
    assert.deepEqual(answer.body.value, [
      { '@odata.type': '#microsoft.graph.user', id: 'u1' },
      { '@odata.type': '#microsoft.graph.group', id: 'g-inner' },
      { '@odata.type': '#microsoft.graph.user', id: 'u2' },
      { '@odata.type': '#microsoft.graph.user', id: 'u3' },
    ]);
  });

  it('lists direct members', async () => {
    const answer = await get(`${sandbox.baseUrl}/groups/g-inner/members?$select=id,displayName`);
    assert.deepEqual(
      answer.body.value.map((member: { id: string; displayName: string }) => `${member.id}:${member.displayName}`),
      ['u2:Two', 'u3:Three'],
    );
  });

  it('pages transitive members', async () => {
    const first = await get(`${sandbox.baseUrl}/groups/g-approvers/transitiveMembers?$select=id&$top=3`);
    assert.equal(first.body.value.length, 3);
    const second = await get(first.body['@odata.nextLink']);
    assert.deepEqual(second.body.value, [{ '@odata.type': '#microsoft.graph.user', id: 'u3' }]);
    assert.equal(second.body['@odata.nextLink'], undefined);
  });

  it('adds a member with members/$ref (204), and refuses to add it twice (400)', async () => {
    const added = await post(`${sandbox.baseUrl}/groups/g-inner/members/$ref`, ref('u1'));
    assert.equal(added.status, 204);
    assert.equal(added.body, undefined);
    assert.deepEqual(sandbox.state.directory.getGroup('g-inner')?.memberIds, ['u2', 'u3', 'u1']);

    const again = await post(`${sandbox.baseUrl}/groups/g-inner/members/$ref`, ref('u1'));
    assert.equal(again.status, 400);
    assertGraphError(again, 'Request_BadRequest', /already exist/);
  });

  it('answers 404 for an unknown group or member, and 400 for a malformed reference', async () => {
    const noGroup = await post(`${sandbox.baseUrl}/groups/nope/members/$ref`, ref('u1'));
    assert.equal(noGroup.status, 404);
    assertGraphError(noGroup, 'Request_ResourceNotFound', /'nope'/);
    const noUser = await post(`${sandbox.baseUrl}/groups/g-inner/members/$ref`, ref('ghost'));
    assert.equal(noUser.status, 404);
    assertGraphError(noUser, 'Request_ResourceNotFound', /'ghost'/);
    const malformed = await post(`${sandbox.baseUrl}/groups/g-inner/members/$ref`, { id: 'u1' });
    assert.equal(malformed.status, 400);
    assert.equal((await get(`${sandbox.baseUrl}/groups/nope/transitiveMembers`)).status, 404);
    assert.equal((await request('GET', `${sandbox.baseUrl}/groups/g-inner/members/$ref`)).status, 405);
  });

  it('seeds groups in-process', async () => {
    const user = sandbox.state.addUser({ displayName: 'Four', mail: 'four@contoso.com' });
    const group = sandbox.state.addGroup({ displayName: 'New', memberIds: [user.id] });
    const answer = await get(`${sandbox.baseUrl}/groups/${group.id}/transitiveMembers?$select=id`);
    assert.deepEqual(
      answer.body.value.map((member: { id: string }) => member.id),
      [user.id],
    );
  });
});
