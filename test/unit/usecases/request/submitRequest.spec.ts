/** submitRequest on memory adapters: what is stored (or not), its first audit entry, the limits. */
import { strict as assert } from 'node:assert';
import { submitRequest } from '../../../../src/domain/usecases/request/submitRequest';
import {
  chatOf,
  memoryWorkflow,
  OLLI,
  RITA,
  seedRequest,
  trail,
  type MemoryHouse,
  type MemoryWorkflowOptions,
} from '../../../support/memory/memoryWorkflow';

const HOUR = 3_600_000;
const TEAM_GROUP = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

describe('submitRequest', () => {
  let house: MemoryHouse;
  const setUp = (options: MemoryWorkflowOptions = {}) => (house = memoryWorkflow(options));
  const submit = (raw: Record<string, string>, requester = RITA) =>
    submitRequest(house.wf, { raw, requester, requesterAddress: chatOf(requester), requesterLocale: 'de-DE' });

  beforeEach(() => setUp());

  it('stores a valid request as Pending with its "submitted" entry, and hands it back', async () => {
    const id = house.ids.peekRequestId();
    const result = await submit({
      email: 'Gina@Fabrikam.EXAMPLE',
      displayName: 'Gina',
      justification: ' Q3 audit ',
      sendInvitationMessage: 'true',
      messageLanguage: 'fr-FR',
    });
    assert.equal(result.kind, 'submitted');
    const [request] = house.store.requests();
    assert.equal(result.kind === 'submitted' && result.request.id, request?.id);
    assert.equal(request?.id, id);
    assert.equal(request?.status, 'Pending');
    assert.deepEqual(request?.guest, {
      email: 'Gina@fabrikam.example',
      displayName: 'Gina',
      sendInvitationMessage: true,
      messageLanguage: 'fr-FR',
    });
    assert.equal(request?.justification, 'Q3 audit');
    assert.equal(request?.requesterLocale, 'de-DE');
    assert.equal(request?.createdAt, house.clock.now().toISOString());
    assert.deepEqual(await house.store.listAudit(id), [
      { requestId: id, at: request?.createdAt, actor: RITA, action: 'submitted', to: 'Pending' },
    ]);
    // Submitting stores; the approval cards are routeApprovals' business.
    assert.deepEqual(house.notifier.calls, []);
  });

  it('a form submitted again with its one-time token (in turn or at once) gives back the same request, stored and counted once', async () => {
    setUp({ limits: { maxPending: 3, maxPerDay: 0 } });
    const token = '0f4e6a1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
    const once = (requester = RITA) =>
      submitRequest(house.wf, {
        raw: { email: 'gina@fabrikam.example', justification: 'Q3' },
        requester,
        requesterAddress: chatOf(requester),
        submissionId: token,
      });
    const first = await once();
    const again = await once();
    const burst = await Promise.all(Array.from({ length: 20 }, () => once()));
    const ids = [first, again, ...burst].map((r) => (r.kind === 'submitted' ? r.request.id : r.kind));
    assert.equal(new Set(ids).size, 1, 'one request id in every answer');
    assert.equal(house.store.requests().length, 1);
    assert.deepEqual(await trail(house, ids[0]!), ['submitted']);
    // Another person's replay of the token is their own, new request.
    const olli = await once(OLLI);
    assert.ok(olli.kind === 'submitted' && olli.request.id !== ids[0] && olli.request.requester.id === OLLI.id);
  });

  it('simultaneous submits never store more than the pending limit', async () => {
    setUp({ limits: { maxPending: 3, maxPerDay: 0 } });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => submit({ email: `g${i}@fabrikam.example`, justification: 'Q3' })),
    );
    assert.equal(results.filter((r) => r.kind === 'submitted').length, 3);
    assert.equal(house.store.requests().length, 3);
  });

  it('refuses invalid input with a problem per field and stores nothing', async () => {
    const result = await submit({ email: 'not an address', justification: '   ', sendInvitationMessage: 'maybe' });
    assert.equal(result.kind, 'invalid');
    assert.deepEqual(result.kind === 'invalid' && Object.keys(result.errors).sort(), ['email', 'justification', 'sendInvitationMessage']);
    assert.equal(house.store.writes, 0);
    assert.deepEqual(house.store.audit.all(), []);
  });

  for (const [email, code] of [
    ['gina@blocked.example', 'policy.blocked'],
    ['gina@eu.blocked.example', 'policy.blocked'],
    ['colleague@contoso.com', 'policy.organisation'],
  ] as const) {
    it(`refuses ${email} by the domain policy (${code}) and stores nothing`, async () => {
      const result = await submit({ email, justification: 'Q3' });
      assert.equal(result.kind === 'invalid' && result.errors.email?.code, code);
      assert.equal(house.store.writes, 0);
    });
  }

  it('refuses a domain outside an allow-list', async () => {
    setUp({ policy: { allowed: ['fabrikam.example'], blocked: [], organisation: [] } });
    assert.equal((await submit({ email: 'gina@fabrikam.example', justification: 'Q3' })).kind, 'submitted');
    const result = await submit({ email: 'gina@elsewhere.example', justification: 'Q3' });
    assert.equal(result.kind === 'invalid' && result.errors.email?.code, 'policy.notAllowed');
    assert.equal(house.store.writes, 1);
  });

  it('refuses a request over the pending limit, counting only this requester’s Pending ones', async () => {
    setUp({ limits: { maxPending: 2, maxPerDay: 0 } });
    await seedRequest(house);
    await seedRequest(house, { status: 'Denied' });
    await seedRequest(house, { requester: OLLI });
    assert.equal((await submit({ email: 'a@fabrikam.example', justification: 'Q3' })).kind, 'submitted');
    const before = house.store.writes;
    const result = await submit({ email: 'b@fabrikam.example', justification: 'Q3' });
    assert.deepEqual(result.kind === 'overLimit' && result.problem, { code: 'limits.pending', params: { max: 2 } });
    assert.equal(house.store.writes, before);
    assert.equal(
      (await submit({ email: 'b@fabrikam.example', justification: 'Q3' }, OLLI)).kind,
      'submitted',
      'another requester is not counted',
    );
  });

  it('refuses a request over the daily limit until the oldest of the day is a day old', async () => {
    setUp({ limits: { maxPending: 0, maxPerDay: 2 } });
    await seedRequest(house, { status: 'Cancelled' });
    house.clock.advance(HOUR);
    assert.equal((await submit({ email: 'a@fabrikam.example', justification: 'Q3' })).kind, 'submitted');
    const result = await submit({ email: 'b@fabrikam.example', justification: 'Q3' });
    assert.deepEqual(result.kind === 'overLimit' && result.problem, { code: 'limits.daily', params: { max: 2 } });
    house.clock.advance(23 * HOUR);
    assert.equal((await submit({ email: 'b@fabrikam.example', justification: 'Q3' })).kind, 'overLimit', 'exactly a day old still counts');
    house.clock.advance(1);
    assert.equal((await submit({ email: 'b@fabrikam.example', justification: 'Q3' })).kind, 'submitted');
  });

  it('stores the team when it is one the requester is offered, and refuses a forged one', async () => {
    setUp({ withTeams: true });
    await house.teams.register({
      teamId: '19:team@thread.tacv2',
      groupId: TEAM_GROUP,
      name: 'Project X',
      registeredAt: house.clock.now().toISOString(),
    });
    house.teamGroups.setMembers(TEAM_GROUP, [RITA.id]);
    const forged = await submit({ email: 'a@fabrikam.example', justification: 'Q3', teamGroupId: TEAM_GROUP }, OLLI);
    assert.equal(forged.kind === 'invalid' && forged.errors.teamGroupId?.code, 'teamGroupId.notOffered');
    assert.equal(house.store.writes, 0);
    const result = await submit({ email: 'a@fabrikam.example', justification: 'Q3', teamGroupId: TEAM_GROUP.toUpperCase() });
    assert.ok(result.kind === 'submitted');
    assert.deepEqual(result.request.team, { groupId: TEAM_GROUP, name: 'Project X' });
    assert.deepEqual(await trail(house, result.request.id), ['submitted']);
    assert.equal((await house.store.listAudit(result.request.id))[0]?.detail, `team ${TEAM_GROUP}`);
  });
});
