import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { approvalCard } from '../../src/cards/views/approvalView';
import { requestFormCard } from '../../src/cards/views/requestFormView';
import { requestStatusCard } from '../../src/cards/views/requestStatusView';
import { en } from '../../src/cards/i18n/en';
import { CARD_NAMES, cardsDirectory } from '../../src/cards/templates';
import { sampleRequest } from '../support/fixtures';

function executeActions(node: unknown, found: any[] = [], parent?: any): any[] {
  if (Array.isArray(node)) node.forEach((n) => executeActions(n, found, parent));
  else if (node && typeof node === 'object') {
    const o = node as any;
    if (o.type === 'Action.Execute') found.push({ action: o, parent });
    for (const value of Object.values(o)) executeActions(value, found, o);
  }
  return found;
}

describe('card templates', () => {
  for (const name of CARD_NAMES) {
    it(`${name}.json is Adaptive Card 1.5 and every Action.Execute sits in an ActionSet with an Action.Submit fallback`, () => {
      const card = JSON.parse(readFileSync(join(cardsDirectory(), `${name}.json`), 'utf8'));
      assert.equal(card.type, 'AdaptiveCard');
      assert.equal(card.version, '1.5');
      const actions = executeActions(card);
      for (const { action, parent } of actions) {
        assert.equal(parent.type, 'ActionSet', `${action.verb} is in an ActionSet`);
        assert.equal(action.fallback, 'Action.Submit');
      }
    });
  }

  it('user text cannot break out of the card: it stays inside its own string values', () => {
    const hostile = '"}],"actions":[{"type":"Action.OpenUrl","url":"https://evil"}],"x":[{"a":"${requestId}';
    const card = approvalCard(
      en,
      sampleRequest({ justification: hostile, guest: { email: 'gina@fabrikam.com', displayName: hostile, sendInvitationMessage: false } }),
    );
    const json = JSON.stringify(card);
    assert.ok(!json.includes('"url":"https://evil"'));
    const actions = executeActions(card).map((a) => a.action.verb);
    assert.deepEqual(actions, ['approve', 'deny']);
  });

  it('the approval card has buttons only while pending, and data that names the request', () => {
    const pending = approvalCard(en, sampleRequest());
    const verbs = executeActions(pending).map((a) => a.action);
    assert.deepEqual(
      verbs.map((a) => a.verb),
      ['approve', 'deny'],
    );
    assert.deepEqual(verbs[0].data, { requestId: 'GR-TEST000001' });
    assert.ok(JSON.stringify(pending).includes('"id":"reason"'));
    const denied = approvalCard(
      en,
      sampleRequest({
        status: 'Denied',
        decision: { by: { id: 'x', name: 'Anna' }, at: '2026-01-02T00:00:00.000Z', outcome: 'Denied', reason: 'no' },
      }),
    );
    assert.deepEqual(executeActions(denied), []);
    assert.ok(JSON.stringify(denied).includes('Denied by Anna'));
  });

  it('the request form keeps entered values and shows each problem', () => {
    const card = requestFormCard(
      en,
      { email: 'x@', justification: '' },
      { email: { code: 'email.shape' }, justification: { code: 'justification.missing' } },
    );
    const json = JSON.stringify(card);
    assert.ok(json.includes('"value":"x@"'));
    assert.ok(json.includes('in the form name@example'));
    assert.ok(json.includes('Say why this guest needs access'));
    assert.ok(!json.includes('${'), 'every binding was expanded');
  });

  it('the requester sees the redeem link only once invited', () => {
    const invited = requestStatusCard(
      en,
      sampleRequest({
        status: 'Invited',
        invitation: {
          invitedUserId: 'u1',
          status: 'PendingAcceptance',
          redeemUrl: 'https://login.microsoftonline.com/redeem?rd=abc',
          at: '2026-01-01T00:00:00Z',
        },
      }),
    );
    assert.ok(JSON.stringify(invited).includes('https://login.microsoftonline.com/redeem?rd=abc'));
    assert.ok(!JSON.stringify(requestStatusCard(en, sampleRequest())).includes('redeem'));
  });
});
