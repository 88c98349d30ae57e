import assert from 'node:assert/strict';
import { PermanentInvitationError, TransientInvitationError, type InvitationRequest } from '../../../src/domain/ports';
import { GraphDirectory, type GraphDirectoryOptions } from '../../../src/adapters/graph/graphDirectory';
import { Pacer } from '../../../src/adapters/graph/pacer';
import { startGraphSandbox, type RunningGraphSandbox } from '../../../tools/sandbox/graph/server';

const request: InvitationRequest = {
  email: 'alice@fabrikam.com',
  displayName: 'Alice Example',
  redirectUrl: 'https://myapps.microsoft.com',
  sendInvitationMessage: true,
  customizedMessageBody: 'Welcome to the project space.',
  sponsorId: '11111111-2222-3333-4444-555555555555',
  userType: 'Guest',
};

/** Backoff without real waiting, for tests that are not about Retry-After. */
const noWait = async (): Promise<void> => undefined;

describe('GraphDirectory against the Graph sandbox', () => {
  let sandbox: RunningGraphSandbox;
  const directory = (options: Partial<GraphDirectoryOptions> = {}): GraphDirectory =>
    new GraphDirectory({ baseUrl: sandbox.baseUrl, pacer: null, sleep: noWait, retry: { baseDelayMs: 10 }, ...options });

  before(async () => {
    sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0 });
  });
  after(() => sandbox.stop());
  beforeEach(() => sandbox.state.reset());

  describe('invite', () => {
    it('sends exactly the body of docs/protocol.md §4 and returns the invitation', async () => {
      const created = await directory().invite(request);
      const calls = sandbox.state.invitations();
      assert.equal(calls.length, 1);
      assert.deepEqual(calls[0]?.body, {
        invitedUserEmailAddress: 'alice@fabrikam.com',
        invitedUserDisplayName: 'Alice Example',
        inviteRedirectUrl: 'https://myapps.microsoft.com',
        sendInvitationMessage: true,
        invitedUserMessageInfo: { customizedMessageBody: 'Welcome to the project space.' },
        invitedUserType: 'Guest',
        invitedUserSponsors: [{ id: '11111111-2222-3333-4444-555555555555' }],
      });
      assert.equal(created.invitedUserId, calls[0]?.invitedUserId);
      assert.match(created.redeemUrl, /^https:\/\/login\.microsoftonline\.com\/redeem\?rd=/);
      assert.equal(created.status, 'PendingAcceptance');
    });

    it('leaves out the display name and message info when none are given', async () => {
      await directory().invite({
        email: 'bob@fabrikam.com',
        redirectUrl: 'https://myapps.microsoft.com',
        sendInvitationMessage: false,
        sponsorId: 's-1',
        userType: 'Guest',
      });
      assert.deepEqual(sandbox.state.invitations()[0]?.body, {
        invitedUserEmailAddress: 'bob@fabrikam.com',
        inviteRedirectUrl: 'https://myapps.microsoft.com',
        sendInvitationMessage: false,
        invitedUserType: 'Guest',
        invitedUserSponsors: [{ id: 's-1' }],
      });
    });

    it('invites as Member when the request says so, and the sandbox creates a Member', async () => {
      const created = await directory().invite({ ...request, email: 'mia@fabrikam.com', userType: 'Member' });
      assert.equal((sandbox.state.invitations()[0]?.body as { invitedUserType?: string }).invitedUserType, 'Member');
      assert.equal(sandbox.state.directory.getUser(created.invitedUserId)?.userType, 'Member');
    });

    it('sends the token as a bearer token when there is one, and no Authorization when there is none', async () => {
      await directory({ getToken: async () => 'header.payload.signature' }).invite(request);
      await directory({ getToken: async () => undefined }).invite(request);
      assert.deepEqual(
        sandbox.state.invitations().map((call) => call.bearerToken),
        [true, false],
      );
    });

    it('waits the Retry-After of a 429 before retrying, then creates exactly one invitation', async () => {
      sandbox.state.scriptFaults([{ status: 429, retryAfterSeconds: 1 }]);
      const created = await directory({ sleep: undefined }).invite(request);
      const [throttled, retry] = sandbox.state.invitations();
      assert.equal(throttled?.status, 429);
      assert.equal(retry?.status, 201);
      assert.ok(
        retry?.arrivedAtMs - (throttled?.answeredAtMs as number) >= 1000,
        `retry arrived ${retry?.arrivedAtMs - (throttled?.answeredAtMs as number)} ms after the 429 that said 1 s`,
      );
      const stats = sandbox.state.stats();
      assert.equal(stats.earlyRetries, 0);
      assert.equal(stats.invitationsCreated, 1);
      assert.equal(created.invitedUserId, retry?.invitedUserId);
    });

    it('honours Retry-After given as an HTTP-date', async () => {
      sandbox.state.scriptFaults([{ status: 503, retryAfterSeconds: 1, retryAfterAsDate: true }]);
      await directory({ sleep: undefined }).invite(request);
      const stats = sandbox.state.stats();
      assert.deepEqual(stats.byStatus, { '503': 1, '201': 1 });
      assert.equal(stats.earlyRetries, 0);
    });

    it('retries 503, 500, a connection reset and a timeout, then creates exactly one invitation', async () => {
      sandbox.state.scriptFaults([{ status: 503 }, { status: 500 }, { reset: true }, { latencyMs: 5000 }]);
      const created = await directory({ retry: { baseDelayMs: 10, perCallTimeoutMs: 300 } }).invite(request);
      const calls = sandbox.state.invitations();
      assert.equal(calls.length, 5);
      assert.deepEqual(
        calls.map((call) => (call.delivery === 'sent' ? call.status : call.delivery)),
        [503, 500, 'reset', 'client-gone', 201],
      );
      assert.equal(sandbox.state.stats().invitationsCreated, 1);
      assert.equal(sandbox.state.stats().duplicates, 0);
      assert.equal(created.invitedUserId, calls[4]?.invitedUserId);
    });

    it('turns a 400 into PermanentInvitationError without retrying', async () => {
      sandbox.state.scriptFaults([
        { status: 400, code: 'BadRequest', message: 'Invitations are blocked for this directory due to suspicious activity.' },
      ]);
      await assert.rejects(directory().invite(request), (error: unknown) => {
        assert.ok(error instanceof PermanentInvitationError);
        assert.equal(error.code, 'BadRequest');
        assert.equal(error.httpStatus, 400);
        assert.match(error.message, /suspicious activity/);
        return true;
      });
      assert.equal(sandbox.state.stats().calls, 1);
    });

    it("names the guest's address when Graph refuses it as invalid", async () => {
      await assert.rejects(directory().invite({ ...request, email: 'alice@fabrikam' }), (error: unknown) => {
        assert.ok(error instanceof PermanentInvitationError);
        assert.equal(error.message, 'The address alice@fabrikam is not a valid email address.');
        return true;
      });
    });

    it('explains a 403 as the missing User.Invite.All permission', async () => {
      sandbox.state.scriptFaults([
        { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
      ]);
      await assert.rejects(directory().invite(request), (error: unknown) => {
        assert.ok(error instanceof PermanentInvitationError);
        assert.equal(error.httpStatus, 403);
        assert.match(error.message, /User\.Invite\.All/);
        return true;
      });
      assert.equal(sandbox.state.stats().calls, 1);
    });

    it('gives up with TransientInvitationError after maxAttempts', async () => {
      sandbox.state.scriptFaults(Array.from({ length: 5 }, () => ({ status: 503 })));
      await assert.rejects(directory({ retry: { maxAttempts: 3, baseDelayMs: 10 } }).invite(request), (error: unknown) => {
        assert.ok(error instanceof TransientInvitationError);
        assert.match(error.message, /HTTP 503 ServiceUnavailable/);
        return true;
      });
      assert.equal(sandbox.state.stats().calls, 3);
      assert.equal(sandbox.state.stats().invitationsCreated, 0);
    });

    it('gives up at once when Retry-After lies beyond the time budget, and says when to come back', async () => {
      sandbox.state.scriptFaults([{ status: 429, retryAfterSeconds: 30 }]);
      await assert.rejects(directory({ sleep: undefined, retry: { totalBudgetMs: 5000 } }).invite(request), (error: unknown) => {
        assert.ok(error instanceof TransientInvitationError);
        assert.equal(error.retryAfterMs, 30_000);
        return true;
      });
      assert.equal(sandbox.state.stats().calls, 1);
    });

    it('stops when the total time budget is spent (measured on the injected clock)', async () => {
      let clock = 0;
      const sleeps: number[] = [];
      const fake = directory({
        now: () => clock,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
        random: () => 0.999,
        retry: { totalBudgetMs: 10_000, baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 100 },
      });
      sandbox.state.scriptFaults(Array.from({ length: 20 }, () => ({ status: 503 })));
      await assert.rejects(fake.invite(request), TransientInvitationError);
      // Full-jitter ceilings 1 s, 2 s, 4 s: the next (8 s) would pass the 10 s budget.
      assert.deepEqual(sleeps, [999, 1998, 3996]);
      assert.equal(sandbox.state.stats().calls, 4);
    });

    it('reports a token failure as transient, without calling Graph', async () => {
      const failing = directory({ getToken: async () => Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.')) });
      await assert.rejects(failing.invite(request), (error: unknown) => {
        assert.ok(error instanceof TransientInvitationError);
        assert.match(error.message, /access token/);
        return true;
      });
      assert.equal(sandbox.state.stats().calls, 0);
    });

    it('paces a burst of invitations so that Graph does not throttle them', async () => {
      const throttled = await startGraphSandbox({ host: '127.0.0.1', port: 0, throttlePerSecond: 3 });
      try {
        const pacer = new Pacer({ maxConcurrent: 2, perSecond: 3 });
        const paced = new GraphDirectory({ baseUrl: throttled.baseUrl, pacer });
        const emails = Array.from({ length: 7 }, (_, i) => `burst${i}@fabrikam.com`);
        const results = await Promise.all(emails.map((email) => paced.invite({ ...request, email })));
        assert.equal(results.length, 7);
        const stats = throttled.state.stats();
        assert.equal(stats.byStatus['429'], undefined, JSON.stringify(stats.byStatus));
        assert.equal(stats.invitationsCreated, 7);
      } finally {
        await throttled.stop();
      }
    });
  });

  describe('look-ups and groups', () => {
    it('finds users by mail, otherMails, proxyAddresses and userPrincipalName', async () => {
      sandbox.state.addUser({ id: 'u-mail', displayName: 'Mail', mail: 'Mail.User@contoso.com' });
      sandbox.state.addUser({ id: 'u-other', displayName: 'Other', mail: 'x@contoso.com', otherMails: ['shared@example.org'] });
      sandbox.state.addUser({
        id: 'u-proxy',
        displayName: 'Proxy',
        mail: 'y@contoso.com',
        proxyAddresses: ['SMTP:y@contoso.com', 'smtp:alias@contoso.com'],
      });
      sandbox.state.addUser({ id: 'u-upn', displayName: 'Upn', mail: null, userPrincipalName: 'upn.only@contoso.com' });
      sandbox.state.addUser({ id: 'u-quote', displayName: 'Quote', mail: "o'hara@contoso.com" });
      const graph = directory();
      const ids = async (email: string): Promise<string[]> => (await graph.findUsersByEmail(email)).map((user) => user.id);
      assert.deepEqual(await ids('mail.user@CONTOSO.com'), ['u-mail']);
      assert.deepEqual(await ids('shared@example.org'), ['u-other']);
      assert.deepEqual(await ids('alias@contoso.com'), ['u-proxy']);
      assert.deepEqual(await ids('upn.only@contoso.com'), ['u-upn']);
      assert.deepEqual(await ids("o'hara@contoso.com"), ['u-quote']);
      assert.deepEqual(await ids('nobody@contoso.com'), []);
      const [user] = await graph.findUsersByEmail('mail.user@contoso.com');
      assert.deepEqual(user, {
        id: 'u-mail',
        displayName: 'Mail',
        mail: 'Mail.User@contoso.com',
        userPrincipalName: 'Mail.User@contoso.onmicrosoft.com',
        userType: 'Member',
        externalUserState: null,
      });
    });

    it('finds a guest it invited', async () => {
      const graph = directory();
      const created = await graph.invite(request);
      const [guest] = await graph.findUsersByEmail('ALICE@fabrikam.com');
      assert.equal(guest?.id, created.invitedUserId);
      assert.equal(guest?.userType, 'Guest');
      assert.equal(guest?.externalUserState, 'PendingAcceptance');
    });

    it('adds a group member, treats a repeated add as already done, and refuses an unknown group', async () => {
      const user = sandbox.state.addUser({ displayName: 'Member', mail: 'member@contoso.com' });
      const group = sandbox.state.addGroup({ displayName: 'Guests' });
      const graph = directory();
      assert.equal(await graph.addGroupMember(group.id, user.id), 'added');
      assert.equal(await graph.addGroupMember(group.id, user.id), 'already-member');
      assert.deepEqual(sandbox.state.directory.getGroup(group.id)?.memberIds, [user.id]);
      await assert.rejects(graph.addGroupMember('no-such-group', user.id), (error: unknown) => {
        assert.ok(error instanceof PermanentInvitationError);
        assert.equal(error.httpStatus, 404);
        return true;
      });
    });

    it('lists transitive user members across pages, leaving nested groups out', async () => {
      // 1,001 users and a nested group: more than one page even at $top=999.
      const users = Array.from({ length: 1001 }, (_, i) => sandbox.state.addUser({ displayName: `U${i}`, mail: `u${i}@contoso.com` }));
      const inner = sandbox.state.addGroup({ displayName: 'Inner', memberIds: users.slice(600).map((user) => user.id) });
      const outer = sandbox.state.addGroup({ displayName: 'Outer', memberIds: [...users.slice(0, 600).map((user) => user.id), inner.id] });
      const ids = await directory().listTransitiveMemberIds(outer.id);
      assert.equal(ids.length, 1001);
      assert.deepEqual(new Set(ids), new Set(users.map((user) => user.id)));
      assert.ok(sandbox.state.stats().requests >= 2, 'followed @odata.nextLink');
    });
  });
});
