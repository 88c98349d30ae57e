/**
 * Cards and messages follow the Teams locale (English and German), and the invitation email is
 * asked for in the requester's language.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, useBotHarness, cardOf, cardText, requestIdIn } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const GRETA: TeamsPerson = { aadObjectId: '55555555-5555-4555-8555-555555555555', name: 'Greta Gruber', locale: 'de-DE' };

describe('languages', () => {
  const bot = useBotHarness();

  it('a German-speaking requester gets the form, its problems and the status in German', async () => {
    const { replies } = await bot.say(GRETA, 'request');
    assert.match(cardText(cardOf(replies[0]!)), /Gastzugang anfragen/);
    const invalid = await bot.invoke(GRETA, 'submitRequest', { email: 'kein-gast', justification: '' });
    const text = cardText(cardOf(invalid));
    assert.match(text, /Bitte korrigieren Sie/);
    assert.match(text, /Begründen Sie/);
    const valid = await bot.invoke(GRETA, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Gemeinsames Projekt' });
    assert.match(cardText(cardOf(valid)), /Wartet auf Genehmigung/);
  });

  it('German commands work too', async () => {
    const { replies } = await bot.say(GRETA, 'Hilfe');
    assert.match(cardText(cardOf(replies[0]!)), /Gastzugang/);
  });

  it("the invitation email is asked for in German, and the link arrives in German; English keeps Graph's default", async () => {
    const email = uniqueGuestEmail();
    const answer = await bot.invoke(GRETA, 'submitRequest', { email, justification: 'Gemeinsames Projekt', message: 'Willkommen!' });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    const before = bot.connector.calls.length;
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    await bot.idle();
    const [call] = await invitationsFor(email);
    assert.deepEqual(call!.body.invitedUserMessageInfo, { customizedMessageBody: 'Willkommen!', messageLanguage: 'de-DE' });
    const told = bot.connector.messagesIn(`a:personal-${GRETA.aadObjectId}`).filter((c) => bot.connector.calls.indexOf(c) >= before);
    assert.match(cardText(cardOf(told[0]!)), /Ihr Gast ist eingeladen/);
  });
});

describe('invitation options', () => {
  const bot = useBotHarness();

  it("the form offers a copy recipient and the email language (preset from the locale), and explains Graph's rules", async () => {
    const { replies } = await bot.say(GRETA, 'request');
    const card = cardOf(replies[0]!);
    const json = JSON.stringify(card);
    assert.ok(json.includes('"id":"ccEmail"'));
    assert.ok(json.includes('"id":"messageLanguage"'));
    assert.ok(json.includes('"value":"de-DE"'), 'German preselected for a German requester');
    assert.match(cardText(card), /ersetzt den Standardtext/);
  });

  it('a cc recipient and a chosen language reach Graph; the approvers see them', async () => {
    const email = uniqueGuestEmail();
    const answer = await bot.invoke(APPROVERS[1]!, 'submitRequest', {
      email,
      justification: 'Vendor',
      ccEmail: 'assistant@fabrikam.com',
      messageLanguage: 'fr-FR',
      sendInvitationMessage: 'true',
    });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    const [message] = await bot.app.workflow.store.listApprovalMessages(requestId);
    const card = bot.connector
      .messagesIn(message!.address.conversationId)
      .filter((c) => cardText(cardOf(c)).includes(requestId))
      .pop();
    assert.match(cardText(cardOf(card!)), /assistant@fabrikam\\\.com/);
    assert.match(cardText(cardOf(card!)), /Français/);
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    await bot.idle();
    const [call] = await invitationsFor(email);
    assert.deepEqual(call!.body.invitedUserMessageInfo, {
      messageLanguage: 'fr-FR',
      ccRecipients: [{ emailAddress: { address: 'assistant@fabrikam.com' } }],
    });
    assert.equal(call!.status, 201);
  });

  it('an invalid copy address or language is named on the form and nothing is stored', async () => {
    const email = uniqueGuestEmail();
    const answer = await bot.invoke(APPROVERS[1]!, 'submitRequest', {
      email,
      justification: 'Vendor',
      ccEmail: 'two@a.com,three@b.com',
      messageLanguage: 'xx-XX',
    });
    const text = cardText(cardOf(answer));
    assert.match(text, /one email address/);
    assert.match(text, /Choose one of the languages/);
    assert.ok(!/GR-[0-9A-Z]{10}/.test(text));
  });
});
