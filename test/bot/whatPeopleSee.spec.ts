/**
 * What requesters and approvers see (issue 15, items 2–7): my requests rows, one invitation result,
 * one-round validation, role-aware help, the 80 KB message budget with `pending` paged by size, and
 * dates in the reader's language. Through /api/messages with the real adapter, Azurite and the sandbox.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, BotHarness, cardOf, cardText, REQUESTER, useBotHarness, actionsOf } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { installActivity, type TeamsPerson } from '../support/teamsActivities';
import { CardFactory, MessageFactory } from 'botbuilder';
import { pendingPage } from '../../src/bot/commands/pending';
import type { TurnInfo } from '../../src/bot/turnInfo';
import { stringsFor } from '../../src/cards/i18n';
import type { ConnectorCall } from '../../tools/fakeConnector';

const [ANNA] = APPROVERS as [TeamsPerson, TeamsPerson];
const GRETA: TeamsPerson = { aadObjectId: '55555555-5555-4555-8555-555555555555', name: 'Greta Gruber', locale: 'de-DE' };
const BUDGET = 80 * 1024;
/** Size of what the bot sent as Teams counts it: the JSON in UTF-16. */
const bytes = (value: unknown) => JSON.stringify(value).length * 2;

describe('what people see (bot over /api/messages)', () => {
  const bot = useBotHarness({ env: { BLOCKED_EMAIL_DOMAINS: 'blocked.example' } });

  it('my requests: each row has the guest name and email, status, date and a Cancel on pending ones; no "requested by"', async () => {
    const { requestId } = await bot.submit(REQUESTER, {
      email: uniqueGuestEmail(),
      displayName: 'Lena Listed',
      justification: 'Audit',
      sendInvitationMessage: 'false',
    });
    const { replies } = await bot.say(REQUESTER, 'my requests');
    const card = cardOf(replies[0]!);
    const text = cardText(card);
    assert.match(text, /Lena Listed/);
    // The harness speaks en-US: "Dec 5, 2026, 01:08 UTC".
    assert.match(text, new RegExp(`${requestId} · requested on [A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{2}:\\d{2} UTC`));
    assert.match(text, /Pending approval/);
    assert.doesNotMatch(text, /requested by/i);
    const cancel = actionsOf(card).find((a) => a.verb === 'cancelRequest' && a.data?.requestId === requestId);
    assert.ok(cancel, 'a Cancel action for the pending request');
    assert.equal(cancel.type, 'Action.Execute');
    assert.equal(cancel.fallback, 'Action.Submit');

    const answer = await bot.invoke(REQUESTER, 'cancelRequest', cancel.data);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))?.value.status, 'Cancelled');
    const after = cardOf(answer);
    assert.match(cardText(after), /Cancelled by the requester/, 'the list stays, showing it cancelled');
    assert.ok(!actionsOf(after).some((a) => a.data?.requestId === requestId), 'no Cancel on a cancelled request');
  });

  it('the invitation result: the link once, as text to copy, one instruction naming the guest, no button to open it', async () => {
    const { requestId } = await bot.submit(REQUESTER, {
      email: uniqueGuestEmail(),
      displayName: 'Ivy Invited',
      justification: 'Launch',
      sendInvitationMessage: 'false',
    });
    const before = bot.connector.calls.length;
    await bot.invoke(ANNA, 'approve', { requestId });
    await bot.idle();
    const url = (await bot.app.workflow.store.get(requestId))!.value.invitation!.redeemUrl;
    const toRita = bot.connector.messagesIn(`a:personal-${REQUESTER.aadObjectId}`).filter((c) => bot.connector.calls.indexOf(c) >= before);
    const linkMessages = toRita.filter((c) => JSON.stringify(c.body).includes(url));
    assert.equal(linkMessages.length, 1, 'one message carries the link');
    const card = cardOf(linkMessages[0]!);
    assert.equal(JSON.stringify(card).split(url).length - 1, 1, 'the link appears once');
    assert.equal(actionsOf(card).filter((a) => a.type === 'Action.OpenUrl').length, 0, 'no button that opens it');
    const text = cardText(card);
    assert.equal(text.match(/only they should open it/gi)?.length, 1, 'one instruction');
    assert.match(text, /Send this link to Ivy Invited; only they should open it/);
    assert.doesNotMatch(text, /Open invitation link|link below/i);
  });

  it('the form checks the email in the client with the server’s rules, and a refused submit names every problem at once', async () => {
    const { replies } = await bot.say(REQUESTER, 'request');
    const input = (cardOf(replies[0]!).body as Array<Record<string, any>>).find((e) => e.id === 'email') as {
      regex: string;
      isRequired: boolean;
      errorMessage: string;
    };
    assert.equal(input.isRequired, true);
    assert.ok(input.errorMessage.length > 0);
    const pattern = new RegExp(input.regex);
    for (const good of ['gina@example.com', 'Gina.Guest@Sub.Example.CO.UK', 'x@xn--bcher-kva.ch']) assert.ok(pattern.test(good), good);
    for (const bad of [
      'gina@example',
      'gina@@example.com',
      'gina,x@example.com',
      'gi na@example.com',
      '.gina@example.com',
      'gina..x@example.com',
      'gina@exa_mple.com',
    ]) {
      assert.ok(!pattern.test(bad), bad);
    }

    const answer = await bot.invoke(REQUESTER, 'submitRequest', {
      email: 'gina@blocked.example',
      justification: '  ',
      message: 'm'.repeat(1001),
      sendInvitationMessage: 'false',
    });
    const text = cardText(cardOf(answer));
    assert.match(text, /blocked\\?\.example can't be invited/, 'the domain policy');
    assert.match(text, /Say why this guest needs access/, 'the missing justification');
    assert.match(text, /message can be at most 1000/, 'the long message');
  });

  it('help and the welcome card list "pending" to approvers only', async () => {
    const forRita = cardText(cardOf((await bot.say(REQUESTER, 'help')).replies[0]!));
    const forAnna = cardText(cardOf((await bot.say(ANNA, 'help')).replies[0]!));
    assert.match(forRita, /my requests/);
    assert.doesNotMatch(forRita, /pending/);
    assert.match(forAnna, /\npending\n/);

    const welcome = async (person: TeamsPerson) => {
      const activity = installActivity(person, bot.connector.url);
      await bot.post(activity);
      return cardText(cardOf(bot.connector.calls.filter((c) => c.activityId === activity.id).at(-1)!));
    };
    assert.doesNotMatch(await welcome(REQUESTER), /\npending\n/);
    assert.match(await welcome(ANNA), /\npending\n/);
  });

  it('the approval card names the email language only when Microsoft sends an email', async () => {
    const card = async (sendInvitationMessage: string) => {
      const { requestId } = await bot.submit(REQUESTER, {
        email: uniqueGuestEmail(),
        justification: 'Lang',
        sendInvitationMessage,
        messageLanguage: 'de-DE',
      });
      const message = (await bot.app.workflow.store.listApprovalMessages(requestId))[0]!;
      return cardText(cardOf(bot.connector.calls.find((c) => c.resultId === message.activityId || c.activityId === message.activityId)!));
    };
    assert.match(await card('true'), /Email language\nDeutsch/);
    assert.doesNotMatch(await card('false'), /Email language/);
  });

  it('German readers get German dates', async () => {
    await bot.submit(GRETA, { email: uniqueGuestEmail(), justification: 'Datum', sendInvitationMessage: 'false' });
    const text = cardText(cardOf((await bot.say(GRETA, 'meine anfragen')).replies[0]!));
    assert.match(text, /angefragt am \d{1,2}\. [A-ZÄÖÜ][a-zäöü]{2,3}\.? \d{4}, \d{2}:\d{2} UTC/);
  });
});

describe('the 80 KB message budget (bot over /api/messages)', () => {
  let bot: BotHarness;
  const long = (n: number, seed: string) => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
  const ids: string[] = [];

  before(async function () {
    this.timeout(60000);
    bot = await BotHarness.start();
    // Ten requests of maximal length; markdown characters make the shown (escaped) text longer still.
    for (let i = 0; i < 10; i++) {
      const { requestId } = await bot.submit(REQUESTER, {
        email: uniqueGuestEmail(),
        displayName: long(256, `Name*${i}_`),
        justification: long(1000, `Why [${i}] *because* `),
        message: long(1000, `Hello <${i}> _there_ `),
        sendInvitationMessage: 'true',
      });
      ids.push(requestId);
    }
  });
  after(async () => {
    await bot?.stop();
  });

  const sent = (c: ConnectorCall) => c.body.attachments as Array<{ content: unknown }> | undefined;

  it('pending: ten maximal requests fit one message, with the long texts shortened', async () => {
    const { replies } = await bot.say(ANNA, 'pending');
    assert.equal(replies.length, 1);
    assert.ok(bytes(replies[0]!.body) <= BUDGET, `pending is ${bytes(replies[0]!.body)} bytes`);
    const approvals = sent(replies[0]!)!
      .map((a) => a.content)
      .filter((c) => actionsOf(c).some((a) => a.verb === 'approve'));
    assert.equal(approvals.length, 10);
    assert.match(cardText(approvals[0]), /…/, 'long texts shortened in the list');
    assert.ok(!cardText(approvals[0]).includes('Why \\[0\\] \\*because\\* '.repeat(10)), 'not the whole justification');
  });

  it('pending pages by size: a page stops before the card that would pass the budget; "Show more" (approvers only) brings the rest', async function () {
    this.timeout(30000);
    // A smaller budget stands in for heavier requests: the same cut, with these ten.
    const small = 20 * 1024;
    const ctx = {
      wf: bot.app.workflow,
      background: bot.app.background,
      t: stringsFor('en-US'),
      turn: { user: { id: ANNA.aadObjectId, name: ANNA.name }, personal: true } as TurnInfo,
    };
    const first = await pendingPage(ctx, undefined, small);
    const page = first.cards!;
    assert.ok(
      bytes(
        MessageFactory.list(
          page.map((c) => CardFactory.adaptiveCard(c)),
          first.text,
        ),
      ) <= small,
      'the page fits the budget',
    );
    const approvals = page.filter((c) => actionsOf(c).some((a) => a.verb === 'approve'));
    assert.ok(approvals.length > 0 && approvals.length < 10, `a page cut by size (${approvals.length} cards)`);
    const more = actionsOf(page.at(-1)).find((a) => a.verb === 'morePending');
    assert.ok(more && typeof more.data?.cursor === 'string', 'a Show more action with a cursor');
    assert.equal(more.type, 'Action.Execute');
    assert.equal(more.fallback, 'Action.Submit');

    // Not an approver: the cursor shows nothing.
    const refused = await bot.invoke(REQUESTER, 'morePending', more.data);
    assert.equal(refused.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(refused.body.value), /for approvers/);

    const seen = new Set(approvals.map((c) => actionsOf(c).find((a) => a.verb === 'approve')!.data.requestId as string));
    const before = bot.connector.calls.length;
    const answer = await bot.invoke(ANNA, 'morePending', more.data);
    assert.equal(answer.status, 200);
    assert.ok(!actionsOf(cardOf(answer)).some((a) => a.verb === 'morePending'), 'the pressed card loses its button');
    const next = bot.connector.calls.slice(before).filter((c) => sent(c)?.length);
    assert.equal(next.length, 1, 'the next page as one message');
    assert.ok(bytes(next[0]!.body) <= BUDGET);
    for (const c of sent(next[0]!)!.map((a) => a.content)) {
      const approve = actionsOf(c).find((a) => a.verb === 'approve');
      if (approve) seen.add(approve.data.requestId as string);
    }
    assert.deepEqual([...seen].sort(), [...ids].sort(), 'every pending request shown, none twice');
  });

  it('my requests fits, and the request’s own approval card has the texts whole', async () => {
    const { replies } = await bot.say(REQUESTER, 'my requests');
    assert.ok(bytes(replies[0]!.body) <= BUDGET, `my requests is ${bytes(replies[0]!.body)} bytes`);
    const message = (await bot.app.workflow.store.listApprovalMessages(ids[0]!))[0]!;
    const own = bot.connector.calls.find((c) => c.resultId === message.activityId && sent(c));
    assert.ok(own, 'the approval card as sent');
    assert.ok(bytes(own.body) <= BUDGET);
    const text = cardText(cardOf(own));
    assert.ok(text.includes('Why \\[0\\] \\*because\\* '.repeat(40)), 'justification whole');
    assert.doesNotMatch(text, /…/);
  });
});
