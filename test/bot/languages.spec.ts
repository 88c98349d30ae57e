/**
 * Cards and messages follow the Teams locale (English and German), and the invitation email is
 * asked for in the requester's language.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, BotHarness, cardOf, cardText, requestIdIn } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const GRETA: TeamsPerson = { aadObjectId: '55555555-5555-4555-8555-555555555555', name: 'Greta Gruber', locale: 'de-DE' };

describe('languages', () => {
  let bot: BotHarness;
  before(async () => {
    bot = await BotHarness.start();
  });
  after(async () => {
    await bot?.stop();
  });

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

  it('the invitation email is asked for in German, and the link arrives in German; English keeps Graph\'s default', async () => {
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
