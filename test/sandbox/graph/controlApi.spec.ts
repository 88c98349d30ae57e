import assert from 'node:assert/strict';
import { startGraphSandbox, type RunningGraphSandbox } from '../../../tools/sandbox/graph/server';
import { get, invitation, post } from './http';

describe('Graph sandbox: control API (/_sandbox)', () => {
  let sandbox: RunningGraphSandbox;
  let control: string;

  before(async () => {
    sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0 });
    control = sandbox.baseUrl.replace(/\/v1\.0$/, '/_sandbox');
  });
  after(() => sandbox.stop());
  beforeEach(async () => {
    assert.equal((await post(`${control}/reset`)).status, 204);
  });

  it('records invitation calls with their body and arrival time', async () => {
    const before = Date.now();
    await post(`${sandbox.baseUrl}/invitations`, invitation({ invitedUserDisplayName: 'Alice' }));
    const answer = await get(`${control}/invitations`);
    assert.equal(answer.status, 200);
    const [call] = answer.body.value;
    assert.deepEqual(call.body, invitation({ invitedUserDisplayName: 'Alice' }));
    assert.ok(Date.parse(call.arrivedAt) >= before - 5);
    assert.equal(typeof call.arrivedAtMs, 'number');
    assert.equal(call.status, 201);
    assert.equal(call.outcome, 'created');
  });

  it('reports stats', async () => {
    await post(`${sandbox.baseUrl}/invitations`, invitation());
    await post(`${sandbox.baseUrl}/invitations`, invitation());
    await post(`${sandbox.baseUrl}/invitations`, invitation({ invitedUserEmailAddress: 'not valid' }));
    const stats = (await get(`${control}/stats`)).body;
    assert.equal(stats.calls, 3);
    assert.deepEqual(stats.byStatus, { '201': 2, '400': 1 });
    assert.equal(stats.invitationsCreated, 2);
    assert.equal(stats.duplicates, 1);
    assert.equal(stats.earlyRetries, 0);
    assert.equal(stats.pendingFaults, 0);
  });

  it('takes a fault script as JSON and refuses a malformed one', async () => {
    const queued = await post(`${control}/faults`, [{ status: 503 }, { status: 429, retryAfterSeconds: 1 }]);
    assert.equal(queued.status, 200);
    assert.equal(queued.body.pending, 2);
    assert.equal((await post(`${sandbox.baseUrl}/invitations`, invitation())).status, 503);
    const throttled = await post(`${sandbox.baseUrl}/invitations`, invitation({ invitedUserEmailAddress: 'b@fabrikam.com' }));
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '1');

    assert.equal((await post(`${control}/faults`, { steps: [{ status: 200 }] })).status, 400);
    assert.equal((await post(`${control}/faults`, [{ explode: true }])).status, 400);
    assert.equal((await post(`${control}/faults`, 'nope')).status, 400);
  });

  it('seeds users and groups that Graph routes then serve', async () => {
    const user = await post(`${control}/users`, { displayName: 'Gail', mail: 'gail@contoso.com' });
    assert.equal(user.status, 201);
    const group = await post(`${control}/groups`, { displayName: 'Approvers', memberIds: [user.body.id] });
    assert.equal(group.status, 201);
    const found = await get(`${sandbox.baseUrl}/users?$filter=${encodeURIComponent("mail eq 'gail@contoso.com'")}`);
    assert.deepEqual(
      found.body.value.map((u: { id: string }) => u.id),
      [user.body.id],
    );
    const members = await get(`${sandbox.baseUrl}/groups/${group.body.id}/transitiveMembers?$select=id`);
    assert.deepEqual(
      members.body.value.map((m: { id: string }) => m.id),
      [user.body.id],
    );
    assert.equal((await post(`${control}/groups`, { memberIds: ['ghost'] })).status, 400);
  });

  it('resets everything', async () => {
    await post(`${control}/users`, { displayName: 'Gail', mail: 'gail@contoso.com' });
    await post(`${control}/faults`, [{ status: 503 }]);
    await post(`${sandbox.baseUrl}/invitations`, invitation());
    assert.equal((await post(`${control}/reset`)).status, 204);
    const stats = (await get(`${control}/stats`)).body;
    assert.equal(stats.calls, 0);
    assert.equal(stats.pendingFaults, 0);
    assert.deepEqual((await get(`${sandbox.baseUrl}/users`)).body.value, []);
  });
});
