import assert from 'node:assert/strict';
import { startGraphSandbox, type RunningGraphSandbox } from '../../../tools/sandbox/graph/server';
import { UUID, assertGraphError, invitation, post, request, type JsonAnswer } from './http';

describe('Graph sandbox: POST /invitations', () => {
  let sandbox: RunningGraphSandbox;

  before(async () => {
    sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0, tenantDomain: 'contoso.onmicrosoft.com' });
  });
  after(() => sandbox.stop());
  beforeEach(() => sandbox.state.reset());

  const invite = (body: unknown, headers?: Record<string, string>): Promise<JsonAnswer> =>
    post(`${sandbox.baseUrl}/invitations`, body, headers);

  it('answers 201 with an invitation shaped like Graph’s', async () => {
    const answer = await invite(
      invitation({
        invitedUserDisplayName: 'Alice Example',
        sendInvitationMessage: true,
        invitedUserMessageInfo: { customizedMessageBody: 'Welcome!' },
        invitedUserSponsors: [{ id: 'sponsor-1' }],
      }),
    );
    assert.equal(answer.status, 201);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(answer.headers.get('request-id') ?? '', UUID);
    const body = answer.body;
    assert.equal(body['@odata.context'], `${sandbox.baseUrl}/$metadata#invitations/$entity`);
    assert.match(body.id, UUID);
    assert.match(
      body.inviteRedeemUrl,
      /^https:\/\/login\.microsoftonline\.com\/redeem\?rd=https%3A%2F%2Finvitations\.microsoft\.com%2Fredeem/,
    );
    assert.equal(body.inviteRedirectUrl, 'https://myapps.microsoft.com');
    assert.equal(body.invitedUserDisplayName, 'Alice Example');
    assert.equal(body.invitedUserEmailAddress, 'alice@fabrikam.com');
    assert.equal(body.invitedUserType, 'Guest');
    assert.equal(body.sendInvitationMessage, true);
    assert.equal(body.status, 'PendingAcceptance');
    assert.equal(body.invitedUserMessageInfo.customizedMessageBody, 'Welcome!');
    assert.ok(Array.isArray(body.invitedUserMessageInfo.ccRecipients));
    assert.match(body.invitedUser.id, UUID);
  });

  it('creates the guest user on the first invitation and re-uses it when the address is invited again', async () => {
    const first = await invite(invitation({ invitedUserEmailAddress: 'Bob@Fabrikam.com', invitedUserDisplayName: 'Bob' }));
    const second = await invite(invitation({ invitedUserEmailAddress: 'bob@fabrikam.COM' }));
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.body.invitedUser.id, first.body.invitedUser.id, 'Graph resends to the same user');
    assert.notEqual(second.body.inviteRedeemUrl, first.body.inviteRedeemUrl, 'every invitation has its own redeem URL');
    assert.notEqual(second.body.id, first.body.id);

    const user = sandbox.state.directory.getUser(first.body.invitedUser.id);
    assert.ok(user);
    assert.equal(user.userType, 'Guest');
    assert.equal(user.externalUserState, 'PendingAcceptance');
    assert.equal(user.mail, 'Bob@Fabrikam.com');
    assert.deepEqual(user.otherMails, ['Bob@Fabrikam.com']);
    assert.equal(user.userPrincipalName, 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com');
    assert.equal(user.displayName, 'Bob');

    const stats = sandbox.state.stats();
    assert.equal(stats.invitationsCreated, 2);
    assert.equal(stats.duplicates, 1);
    assert.deepEqual(stats.duplicateAddresses, ['bob@fabrikam.com']);
  });

  it('gives every call a unique redeem URL', async () => {
    const urls = new Set<string>();
    for (let i = 0; i < 5; i++)
      urls.add((await invite(invitation({ invitedUserEmailAddress: `guest${i}@fabrikam.com` }))).body.inviteRedeemUrl);
    assert.equal(urls.size, 5);
  });

  it('invites as Member when asked', async () => {
    const answer = await invite(invitation({ invitedUserType: 'Member' }));
    assert.equal(answer.status, 201);
    assert.equal(answer.body.invitedUserType, 'Member');
    assert.equal(sandbox.state.directory.getUser(answer.body.invitedUser.id)?.userType, 'Member');
  });

  it('refuses to invite an address that belongs to a member of the tenant', async () => {
    sandbox.state.addUser({ displayName: 'Carol', mail: 'carol@contoso.com' });
    const answer = await invite(invitation({ invitedUserEmailAddress: 'CAROL@contoso.com' }));
    assert.equal(answer.status, 400);
    assert.match(answer.body.error.message, /already exists/);
  });

  describe('validation (400 with a Graph error body)', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['no invitedUserEmailAddress', invitation({ invitedUserEmailAddress: undefined }), /invitedUserEmailAddress/],
      ['an empty address', invitation({ invitedUserEmailAddress: '' }), /invitedUserEmailAddress/],
      ['two addresses separated by a comma', invitation({ invitedUserEmailAddress: 'a@x.com,b@x.com' }), /email address is invalid/],
      ['two addresses separated by a semicolon', invitation({ invitedUserEmailAddress: 'a@x.com;b@x.com' }), /email address is invalid/],
      ['two @ signs', invitation({ invitedUserEmailAddress: 'a@b@x.com' }), /email address is invalid/],
      ['whitespace', invitation({ invitedUserEmailAddress: 'a b@x.com' }), /email address is invalid/],
      ['a trailing space', invitation({ invitedUserEmailAddress: 'ab@x.com ' }), /email address is invalid/],
      ['no domain dot', invitation({ invitedUserEmailAddress: 'ab@localhost' }), /email address is invalid/],
      ['a non-string address', invitation({ invitedUserEmailAddress: 42 }), /Edm\.String/],
      ['no inviteRedirectUrl', invitation({ inviteRedirectUrl: undefined }), /inviteRedirectUrl/],
      ['a relative inviteRedirectUrl', invitation({ inviteRedirectUrl: '/apps' }), /inviteRedirectUrl/],
      ['a non-http inviteRedirectUrl', invitation({ inviteRedirectUrl: 'mailto:x@y.com' }), /inviteRedirectUrl/],
      ['an unknown invitedUserType', invitation({ invitedUserType: 'Partner' }), /invitedUserType/],
      ['invitedUserType in another spelling than Graph documents', invitation({ invitedUserType: 'member' }), /invitedUserType/],
      ['an empty invitedUserType', invitation({ invitedUserType: '' }), /invitedUserType/],
      ['sendInvitationMessage as a string', invitation({ sendInvitationMessage: 'true' }), /Edm\.Boolean/],
      ['two cc recipients', invitation({ invitedUserMessageInfo: { ccRecipients: [cc('a@x.com'), cc('b@x.com')] } }), /ccRecipient/],
      ['an invalid cc address', invitation({ invitedUserMessageInfo: { ccRecipients: [cc('not an address')] } }), /ccRecipients/],
      ['an unknown property in invitedUserMessageInfo', invitation({ invitedUserMessageInfo: { body: 'x' } }), /does not exist on type/],
      ['invitedUserSponsors not an array', invitation({ invitedUserSponsors: { id: 'x' } }), /invitedUserSponsors/],
      ['a sponsor without an id', invitation({ invitedUserSponsors: [{ name: 'x' }] }), /invitedUserSponsors/],
      [
        'an unknown property',
        invitation({ invitedUserEmail: 'a@x.com' }),
        /The property 'invitedUserEmail' does not exist on type 'microsoft\.graph\.invitation'/,
      ],
      ['a JSON array', [invitation()], /JSON object/],
    ];
    for (const [name, body, message] of cases) {
      it(`refuses ${name}`, async () => {
        const answer = await invite(body, { 'client-request-id': 'test-client-id' });
        assert.equal(answer.status, 400);
        assertGraphError(answer, 'BadRequest', message);
        assert.equal(answer.body.error.innerError['client-request-id'], 'test-client-id');
      });
    }

    for (const ch of '~!#$%^&*()+=[]{}\\/|;:"<>?,') {
      it(`refuses an address containing ${ch}`, async () => {
        const answer = await invite(invitation({ invitedUserEmailAddress: `al${ch}ice@fabrikam.com` }));
        assert.equal(answer.status, 400);
        assertGraphError(answer, 'BadRequest', /email address is invalid/);
      });
    }

    it('refuses a body that is not JSON', async () => {
      const answer = await request('POST', `${sandbox.baseUrl}/invitations`, '{"invitedUserEmailAddress": ', {
        'content-type': 'application/json',
      });
      assert.equal(answer.status, 400);
      assertGraphError(answer, 'BadRequest', /Unable to read JSON request payload/);
    });

    it('refuses a body not declared as JSON', async () => {
      const answer = await request('POST', `${sandbox.baseUrl}/invitations`, JSON.stringify(invitation()), {
        'content-type': 'text/plain',
      });
      assert.equal(answer.status, 400);
      assertGraphError(answer, 'BadRequest', /Content-Type/);
    });

    it('creates nothing for refused calls but records them', async () => {
      await invite(invitation({ invitedUserEmailAddress: 'bad address@x.com' }));
      assert.equal(sandbox.state.directory.listUsers().length, 0);
      const [call] = sandbox.state.invitations();
      assert.equal(call?.status, 400);
      assert.equal(call?.outcome, 'rejected');
    });
  });

  describe('Authorization', () => {
    it('accepts a call without Authorization (the sandbox is local)', async () => {
      assert.equal((await invite(invitation())).status, 201);
    });

    it('accepts a bearer token and records that one was sent, not the token', async () => {
      assert.equal((await invite(invitation(), { authorization: 'Bearer abc.def.ghi' })).status, 201);
      const [call] = sandbox.state.invitations();
      assert.equal(call?.bearerToken, true);
      assert.doesNotMatch(JSON.stringify(call), /abc\.def\.ghi/);
    });

    it('refuses another scheme or an empty token with 401 InvalidAuthenticationToken', async () => {
      const basic = await invite(invitation(), { authorization: 'Basic dXNlcjpwYXNz' });
      assert.equal(basic.status, 401);
      assertGraphError(basic, 'InvalidAuthenticationToken', /CompactToken/);
      const empty = await invite(invitation(), { authorization: 'Bearer ' });
      assert.equal(empty.status, 401);
      assertGraphError(empty, 'InvalidAuthenticationToken', /empty/);
    });
  });
});

function cc(address: string): object {
  return { emailAddress: { address } };
}
