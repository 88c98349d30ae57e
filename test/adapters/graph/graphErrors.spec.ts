import assert from 'node:assert/strict';
import {
  describeGraphError,
  describeInvitationError,
  parseGraphError,
  type GraphErrorDetail,
} from '../../../src/adapters/graph/graphErrors';

const error = (status: number, code: string, message: string): GraphErrorDetail => ({ status, code, message });

describe('Graph error sentences', () => {
  it("reads Graph's error envelope, and survives anything else", () => {
    const body = { error: { code: 'BadRequest', message: 'Nope.', innerError: { 'request-id': 'r-1', date: '2025-01-01T00:00:00' } } };
    assert.deepEqual(parseGraphError(400, body), { status: 400, code: 'BadRequest', message: 'Nope.', requestId: 'r-1' });
    assert.deepEqual(parseGraphError(502, '<html>Bad gateway</html>', 'r-2'), {
      status: 502,
      code: 'Http502',
      message: '',
      requestId: 'r-2',
    });
    assert.deepEqual(parseGraphError(500, undefined), { status: 500, code: 'Http500', message: '' });
  });

  const guest = 'guest@fabrikam.com';
  const cases: Array<[string, GraphErrorDetail, RegExp]> = [
    [
      'an invalid address',
      error(400, 'BadRequest', 'The invited user email address is invalid.'),
      /^The address guest@fabrikam\.com is not a valid email address\.$/,
    ],
    [
      'a domain blocked by cross-tenant access',
      error(
        400,
        'BadRequest',
        "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user's organization must configure cross-tenant access settings to allow the invitation.",
      ),
      /does not allow inviting guest@fabrikam\.com/,
    ],
    [
      'a domain outside the allow list',
      error(403, 'Forbidden', 'The domain fabrikam.com is not allowed by the B2B collaboration policy.'),
      /external collaboration policy/,
    ],
    [
      'suspicious activity',
      error(400, 'BadRequest', 'Invitations are blocked for this directory due to suspicious activity.'),
      /suspicious activity; an administrator must contact Microsoft support/,
    ],
    [
      'missing privileges (403)',
      error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
      /User\.Invite\.All/,
    ],
    [
      'missing privileges (401)',
      error(401, 'Unauthorized', 'Insufficient privileges to perform requested operation by the application.'),
      /User\.Invite\.All/,
    ],
    ['invitations turned off', error(400, 'BadRequest', 'Invitations have been disabled for directory.'), /turned off/],
    [
      'a member of this organisation',
      error(400, 'BadRequest', 'The invited user already exists in this directory as a member of the organization and cannot be invited.'),
      /^The address guest@fabrikam\.com already belongs to a user of this organisation/,
    ],
    [
      'anything else',
      error(409, 'Conflict', 'Something odd.'),
      /^Microsoft Graph refused to invite guest@fabrikam\.com \(HTTP 409, Conflict\)\.$/,
    ],
  ];
  for (const [name, detail, sentence] of cases) {
    it(`explains ${name}`, () => {
      assert.match(describeInvitationError(detail, guest), sentence);
    });
  }

  it("names the guest's email only when the caller passes it", () => {
    for (const [, detail] of cases) assert.doesNotMatch(describeInvitationError(detail), /fabrikam\.com/);
    assert.equal(describeInvitationError(cases[0]?.[1] as GraphErrorDetail), "The guest's address is not a valid email address.");
  });

  it('explains refusals of other calls', () => {
    assert.match(
      describeGraphError(error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')),
      /permission/,
    );
    assert.match(describeGraphError(error(404, 'Request_ResourceNotFound', "Resource 'x' does not exist.")), /could not find/);
    assert.match(describeGraphError(error(400, 'BadRequest', 'x')), /HTTP 400, BadRequest/);
  });
});
