/**
 * Injection through the request's free-text fields (and the requester's display name): what the
 * approver sees is the typed text as plain text, the card keeps its exact structure (no link,
 * image, mention or action the requester controls), and what goes to Graph is bounded and clean.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, cardOf, cardText, REQUESTER, useBotHarness } from '../support/botHarness';
import type { ConnectorCall } from '../../tools/fakeConnector';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const [ANNA] = APPROVERS as [TeamsPerson];

const PAYLOADS = [
  '[Approve here](https://evil.example/phish)',
  '![pixel](https://evil.example/p.png)',
  '<a href="https://evil.example/x">docs</a>',
  '<img src=x onerror=alert(1)>',
  '<at>Anna Approver</at>',
  '${requestId} ${$root.canRetry} {{DATE(2020-01-01T00:00:00Z, SHORT)}}',
  '"}],"actions":[{"type":"Action.OpenUrl","title":"Approve","url":"https://evil.example"}],"z":[{"a":"',
  "'); alert(1); //",
  'https://evil.example/login and www.evil.example and HTTP://EVIL.EXAMPLE',
  '**urgent** _now_ `code` # H1',
  'bidi \u202Eexe.txt\u202C zero\u200Bwidth bell\u0007 esc\u001b[31m nul\u0000',
];
const JUSTIFICATION = PAYLOADS.join(' | ');
const MESSAGE = `Hello,\n${PAYLOADS.slice(0, 9).join('\n')}\u202E\u0007`;
const DISPLAY_NAME = '[Gina](https://evil.example) <at>Gina</at> ${requestId}\u202E';
const EVIL_REQUESTER: TeamsPerson = { aadObjectId: REQUESTER.aadObjectId, name: '[Rita](https://evil.example/r) <at>Ben Approver</at>' };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/;

/** Every node of a card that has a "type", depth-first. */
function nodes(card: unknown): Array<Record<string, unknown> & { type: string }> {
  const out: Array<Record<string, unknown> & { type: string }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string') out.push(o as Record<string, unknown> & { type: string });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** The card's structure with user text blanked: element types, ids, verbs, keys. */
function skeleton(card: unknown): unknown {
  if (Array.isArray(card)) return card.map(skeleton);
  if (card && typeof card === 'object') {
    return Object.fromEntries(
      Object.entries(card as Record<string, unknown>).map(([k, v]) => [
        k,
        ['text', 'value', 'requestId'].includes(k) && typeof v === 'string' ? '…' : skeleton(v),
      ]),
    );
  }
  return card;
}

function assertPlain(card: unknown, where: string): void {
  const json = JSON.stringify(card);
  assert.doesNotMatch(
    json,
    /Action\.OpenUrl|"selectAction"|"url"|"Image"|"Media"|"msteams"|"mention"/,
    `${where}: no link, image or mention element`,
  );
  for (const node of nodes(card)) {
    if (node.type.startsWith('Action.')) {
      assert.equal(node.type, 'Action.Execute', `${where}: only Action.Execute`);
      assert.ok(
        ['approve', 'deny', 'retryInvitation', 'cancelRequest', 'refreshStatus', 'refreshApproval'].includes(node.verb as string),
        `${where}: verb ${String(node.verb)}`,
      );
      assert.deepEqual(Object.keys(node.data as object), ['requestId'], `${where}: action data is only the request id`);
    }
  }
  const text = cardText(card);
  assert.equal(text.includes(']('), false, `${where}: no markdown link`);
  assert.doesNotMatch(text, /[<>]/, `${where}: no tag`);
  assert.doesNotMatch(text, /https?:\/\//i, `${where}: no bare link`);
  assert.doesNotMatch(text, /www\./i, `${where}: no www. link`);
  assert.doesNotMatch(text, /\$\{|\{\{/, `${where}: no template expression`);
  assert.doesNotMatch(text, CONTROL, `${where}: no control or bidi characters`);
}

describe('injection through request fields', () => {
  const bot = useBotHarness();

  async function submit(requester: TeamsPerson, fields: Record<string, unknown>) {
    return bot.submit(requester, { sendInvitationMessage: 'true', ...fields });
  }

  function approvalCardSentTo(approver: TeamsPerson, requestId: string): { call: ConnectorCall; card: unknown } {
    const chat = bot.connector.conversationWith(approver.aadObjectId);
    const call = bot.connector.messagesIn(chat).find((c) => cardText(cardOf(c)).includes(requestId));
    assert.ok(call, `approval card for ${requestId} sent to ${approver.name}`);
    return { call, card: cardOf(call) };
  }

  it("shows markdown, HTML, mentions, template expressions and JSON-breaking quotes on the approver's card as plain text", async () => {
    const benign = await submit(REQUESTER, {
      email: uniqueGuestEmail(),
      displayName: 'Gina',
      justification: 'Plain reason',
      message: 'Hi',
    });
    const evil = await submit(EVIL_REQUESTER, {
      email: uniqueGuestEmail(),
      displayName: DISPLAY_NAME,
      justification: JUSTIFICATION,
      message: MESSAGE,
    });

    const { call, card } = approvalCardSentTo(ANNA, evil.requestId);
    assertPlain(card, 'approval card');
    assert.deepEqual(skeleton(card), skeleton(approvalCardSentTo(ANNA, benign.requestId).card), 'same structure as a benign request');
    assert.equal(
      (call.body.entities as Array<{ type?: string }> | undefined)?.some((e) => e.type === 'mention') ?? false,
      false,
      'no mention entity on the activity',
    );
    // Still readable: the words are there, only defused.
    const text = cardText(card);
    for (const word of ['Approve here', 'evil', 'Anna Approver', 'urgent', 'alert(1)', 'Rita', 'Gina'])
      assert.ok(text.includes(word.replace(/([().])/g, '\\$1')) || text.includes(word), `shows ${word}`);

    assertPlain(cardOf(evil.answer), "requester's status card");
  });

  it('keeps the card plain after the decision (updated cards) and sends Graph a bounded, clean message', async () => {
    const email = uniqueGuestEmail();
    const { requestId } = await submit(EVIL_REQUESTER, {
      email,
      displayName: DISPLAY_NAME,
      justification: JUSTIFICATION,
      message: MESSAGE,
    });
    const before = bot.connector.calls.length;
    const decided = await bot.invoke(ANNA, 'approve', { requestId });
    assertPlain(cardOf(decided), 'decided card');
    await bot.idle();

    const updates = bot.connector.calls.slice(before).filter((c) => c.operation === 'updateActivity');
    assert.ok(updates.length > 0);
    for (const update of updates) assertPlain(cardOf(update), 'updated approval card');

    const [invitation] = await invitationsFor(email);
    assert.ok(invitation, 'invited');
    const body = invitation.body.invitedUserMessageInfo.customizedMessageBody as string;
    assert.ok(body.length <= 1000, `customizedMessageBody is ${body.length} characters`);
    assert.doesNotMatch(body, CONTROL, 'no control or bidi characters in the message to the guest');
    assert.doesNotMatch(invitation.body.invitedUserDisplayName as string, CONTROL);
    assert.ok(body.startsWith('Hello,\n'), 'line breaks kept');
  });

  it('a guest message over 1000 characters is refused, not cut and sent', async () => {
    const email = uniqueGuestEmail();
    const answer = await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Long message', message: `${'m'.repeat(1001)}` });
    assert.match(cardText(cardOf(answer)), /at most 1000/);
    const exact = await submit(REQUESTER, { email, justification: 'Exact', message: `  ${'m'.repeat(1000)}\u200B  ` });
    await bot.invoke(ANNA, 'approve', { requestId: exact.requestId });
    await bot.idle();
    const calls = await invitationsFor(email);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.body.invitedUserMessageInfo.customizedMessageBody, 'm'.repeat(1000));
  });

  it('the "pending" list shows the same plain cards', async () => {
    await submit(EVIL_REQUESTER, { email: uniqueGuestEmail(), displayName: DISPLAY_NAME, justification: JUSTIFICATION, message: MESSAGE });
    const { replies } = await bot.say(ANNA, 'pending');
    const cards = (replies[0]!.body.attachments as Array<{ content: unknown }>).map((a) => a.content);
    assert.ok(cards.length > 0);
    cards.forEach((card, i) => assertPlain(card, `pending card ${i}`));
  });
});
