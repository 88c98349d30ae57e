/**
 * Reaching people the way Teams allows (README.md, "Reaching people"): each person's own
 * conversation reference (stored on install, refreshed by their activity, removed on uninstall) is
 * where their messages go; a person Teams will not open a chat with (the app is not installed for
 * them: 403) gets the app installed through Graph, and their card follows Teams' installationUpdate;
 * when nobody can be reached, the requester is told. Through /api/messages, with the fake connector
 * enforcing installation where it matters and a Graph sandbox of the spec's own.
 */
import { strict as assert } from 'node:assert';
import { startFakeConnector, type FakeConnector } from '../../tools/fakeConnector';
import { startGraphSandbox, type RunningGraphSandbox } from '../../tools/sandbox/graph/server';
import { APPROVERS, BotHarness, cardOf, cardText, REQUESTER } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { ANNA, BEN, installationUpdateActivity, messageActivity, RITA } from '../support/teamsActivities';

const APP_ID = 'a1b2c3d4-0000-4000-8000-00000000a11c';
const personalChat = (person: { aadObjectId: string }) => `a:personal-${person.aadObjectId}`;
const approvalCardsIn = (connector: FakeConnector, conversationId: string) =>
  connector.messagesIn(conversationId).filter((c) => JSON.stringify(c.body).includes('"verb":"approve"'));

describe('reaching people in Teams: conversation references', () => {
  let bot: BotHarness;
  let annaRegion: FakeConnector;
  before(async () => {
    bot = await BotHarness.start();
    // Anna's tenant region answers on another serviceUrl than Rita's.
    annaRegion = await startFakeConnector();
  });
  after(async () => {
    await bot?.stop();
    await annaRegion?.stop();
  });

  it("stores the reference on install and sends the approval card there, not through the requester's serviceUrl", async () => {
    const installed = await bot.post(installationUpdateActivity(ANNA, annaRegion.url, 'add'));
    assert.equal(installed.status, 200);
    const stored = await bot.app.workflow.chats!.get(ANNA.aadObjectId.toUpperCase());
    assert.equal(stored?.serviceUrl, annaRegion.url);
    assert.equal(stored?.conversationId, personalChat(ANNA));

    const before = bot.connector.calls.length;
    const { requestId } = await bot.submit(REQUESTER, { email: uniqueGuestEmail(), justification: 'Own chats' });
    const cards = approvalCardsIn(annaRegion, personalChat(ANNA));
    assert.equal(cards.length, 1, "Anna's card went to her own serviceUrl and conversation");
    assert.ok(cardText(cardOf(cards[0]!)).includes(requestId));
    const requesterSide = bot.connector.calls.slice(before);
    assert.ok(
      !requesterSide.some((c) => c.operation === 'createConversation' && JSON.stringify(c.body.members).includes(ANNA.aadObjectId)),
      "no chat opened for Anna on Rita's serviceUrl",
    );
    // Ben has no reference: his chat is opened as before, on the bot's known serviceUrl.
    assert.ok(requesterSide.some((c) => c.operation === 'createConversation' && JSON.stringify(c.body.members).includes(BEN.aadObjectId)));
    const saved = await bot.app.workflow.store.listApprovalMessages(requestId);
    assert.equal(
      saved.find((m) => m.approverId === ANNA.aadObjectId)?.address.serviceUrl,
      annaRegion.url,
      'the card is updated where it is',
    );
  });

  it('a first message stores the reference; later activity refreshes it (a new serviceUrl replaces the old)', async () => {
    await bot.post(messageActivity(BEN, bot.connector.url, 'help'));
    await bot.idle();
    assert.equal((await bot.app.workflow.chats!.get(BEN.aadObjectId))?.serviceUrl, bot.connector.url);
    await bot.post(messageActivity(BEN, annaRegion.url, 'help'));
    await bot.idle();
    assert.equal((await bot.app.workflow.chats!.get(BEN.aadObjectId))?.serviceUrl, annaRegion.url);
  });

  it("the requester's outcome goes through their own reference", async () => {
    const { requestId } = await bot.submit(REQUESTER, { email: uniqueGuestEmail(), justification: 'Outcome' });
    // Rita's client now talks through another region: her stored reference follows.
    await bot.post(messageActivity(RITA, annaRegion.url, 'help'));
    await bot.idle();
    await bot.invoke(ANNA, 'deny', { requestId, reason: 'Not needed' });
    await bot.idle();
    const told = annaRegion.messagesIn(personalChat(RITA)).filter((c) => cardText(cardOf(c) ?? {}).includes(requestId));
    assert.equal(told.length, 1, 'the denial reached Rita through her current reference');
  });

  it("an admin's push (many installations at once): only approvers' installations walk the pending requests, together", async () => {
    const store = bot.app.workflow.store;
    const listByStatus = store.listByStatus.bind(store);
    let walks = 0;
    store.listByStatus = (status, ...rest) => {
      if (status === 'Pending') walks++;
      return listByStatus(status, ...rest);
    };
    try {
      const people = Array.from({ length: 30 }, (_, i) => ({
        aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `Person ${i}`,
      }));
      const answers = await Promise.all(people.map((person) => bot.post(installationUpdateActivity(person, annaRegion.url, 'add'))));
      assert.ok(answers.every((a) => a.status === 200));
      await bot.idle();
      for (const person of people) assert.ok(await bot.app.workflow.chats!.get(person.aadObjectId), 'each installation is recorded');
      assert.equal(walks, 0, 'nobody but approvers has approval cards waiting');

      // Approvers installing together: one walk, and at most one more for those that came during it.
      await Promise.all(
        [...APPROVERS, ...APPROVERS].map((approver) => bot.post(installationUpdateActivity(approver, annaRegion.url, 'add'))),
      );
      await bot.idle();
      assert.ok(walks >= 1 && walks <= 2, `${walks} walks for ${APPROVERS.length * 2} approvers' installations`);
    } finally {
      store.listByStatus = listByStatus;
    }
  });

  it('removes the reference on uninstall', async () => {
    await bot.post(installationUpdateActivity(ANNA, annaRegion.url, 'add'));
    assert.ok(await bot.app.workflow.chats!.get(ANNA.aadObjectId), 'stored');
    await bot.post(installationUpdateActivity(ANNA, annaRegion.url, 'remove'));
    await bot.idle();
    assert.equal(await bot.app.workflow.chats!.get(ANNA.aadObjectId), undefined);
  });
});

describe('reaching people in Teams: proactive installation (TEAMS_APP_ID)', () => {
  let graph: RunningGraphSandbox;
  let connector: FakeConnector;
  let bot: BotHarness;
  let control: (path: string, body: unknown) => Promise<Response>;

  beforeEach(async () => {
    graph = await startGraphSandbox({ users: [RITA, ANNA, BEN].map((p) => ({ id: p.aadObjectId, displayName: p.name })) });
    control = (path, body) =>
      fetch(`${graph.baseUrl.replace(/\/v1\.0$/, '')}/_sandbox${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await control('/teamsApps', { externalId: APP_ID })).status, 201);
    // As Teams: no 1:1 chat with someone who does not have the app.
    connector = await startFakeConnector({ requireInstallation: true });
    connector.install(RITA.aadObjectId, BEN.aadObjectId);
    bot = await BotHarness.start({ connector, env: { GRAPH_BASE_URL: graph.baseUrl, TEAMS_APP_ID: APP_ID } });
  });
  afterEach(async () => {
    await bot?.stop();
    await connector?.stop();
    await graph?.stop();
  });

  it('installs the app for an approver Teams refuses, then sends the card when Teams announces the installation', async () => {
    const { requestId } = await bot.submit(REQUESTER, { email: uniqueGuestEmail(), justification: 'Install' });
    assert.equal(approvalCardsIn(connector, connector.conversationWith(BEN.aadObjectId)).length, 1, 'Ben (app installed) got his card');
    const refused = connector.calls.filter(
      (c) => c.operation === 'createConversation' && JSON.stringify(c.body.members).includes(ANNA.aadObjectId),
    );
    assert.equal(refused.length, 0, 'a refused create is not recorded as a conversation');
    const installs = graph.state.teamsApps.installs;
    assert.equal(installs.length, 1);
    assert.equal(installs[0]!.userId, ANNA.aadObjectId);
    assert.equal(installs[0]!.teamsAppId, graph.state.teamsApps.byExternalId(APP_ID)!.id);
    assert.equal((await bot.app.workflow.store.get(requestId))?.value.status, 'Pending');
    assert.ok(
      !(await bot.app.workflow.store.listApprovalMessages(requestId)).some((m) => m.approverId === ANNA.aadObjectId),
      'no card for Anna yet',
    );

    // Teams installs it and tells the bot, with Anna's own chat.
    connector.install(ANNA.aadObjectId);
    await bot.post(installationUpdateActivity(ANNA, connector.url, 'add'));
    await bot.idle();
    const cards = approvalCardsIn(connector, personalChat(ANNA));
    assert.equal(cards.length, 1, 'the card followed the installation');
    assert.ok(cardText(cardOf(cards[0]!)).includes(requestId));
    assert.ok((await bot.app.workflow.store.listApprovalMessages(requestId)).some((m) => m.approverId === ANNA.aadObjectId));
    assert.ok(!bot.logLines.some((l) => l.includes('approver cannot be reached')), 'an installation under way is not "unreachable"');
  });

  it("409: the app is installed already but Teams still refuses the chat: the card goes to the installation's chat", async () => {
    assert.equal((await control('/appInstallations', { userId: ANNA.aadObjectId, externalId: APP_ID, installed: true })).status, 200);
    const { requestId } = await bot.submit(REQUESTER, { email: uniqueGuestEmail(), justification: 'Conflict' });
    const chatId = graph.state.teamsApps.installationsOf(ANNA.aadObjectId)[0]!.chatId;
    const cards = approvalCardsIn(connector, chatId);
    assert.equal(cards.length, 1, 'posted in the chat Graph named');
    assert.ok(cardText(cardOf(cards[0]!)).includes(requestId));
    assert.equal(graph.state.teamsApps.installs.length, 0, 'nothing installed a second time');
  });

  it('nobody reachable: the requester is told at once, the request stays pending, one error line per approver, the sweep tries again', async () => {
    await control('/appInstallations', { userId: ANNA.aadObjectId, refuse: 403 });
    await control('/appInstallations', { userId: BEN.aadObjectId, refuse: 404 });
    connector.uninstall(BEN.aadObjectId);
    const email = uniqueGuestEmail();
    const started = Date.now();
    const { requestId } = await bot.submit(REQUESTER, { email, justification: 'Nobody' });
    const note = () =>
      connector.messagesIn(personalChat(RITA)).filter((c) => String(c.body.text ?? '').includes('None of the approvers can be reached'));
    assert.equal(note().length, 1, 'Rita was told');
    assert.ok(Date.now() - started < 60_000);
    assert.match(String(note()[0]!.body.text), /stays pending/);
    assert.match(String(note()[0]!.body.text), /ask your admin/i);
    assert.equal((await bot.app.workflow.store.get(requestId))?.value.status, 'Pending');
    const lines = bot.logLines
      .filter((l) => l.includes('approver cannot be reached in Teams'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.approverId).sort(), APPROVERS.map((a) => a.aadObjectId).sort());
    for (const line of lines) {
      assert.equal(line.level, 50);
      assert.match(String(line.reason), /Microsoft Graph refused to install it \(HTTP 40[34]/);
      assert.ok(!JSON.stringify(line).includes(email.split('@')[0]!), 'never the guest');
    }
    const attempts = connector.calls.length;
    await bot.app.sweep();
    await bot.idle();
    assert.ok(bot.logLines.filter((l) => l.includes('approver cannot be reached in Teams')).length > lines.length, 'the sweep tried again');
    assert.equal(note().length, 1, 'told once');
    assert.ok(connector.calls.length >= attempts);
  });

  it('tells a German-speaking requester in German', async () => {
    await control('/appInstallations', { userId: ANNA.aadObjectId, refuse: 403 });
    await control('/appInstallations', { userId: BEN.aadObjectId, refuse: 403 });
    connector.uninstall(BEN.aadObjectId);
    await bot.submit({ ...RITA, locale: 'de-DE' }, { email: uniqueGuestEmail(), justification: 'Niemand' });
    const note = connector
      .messagesIn(personalChat(RITA))
      .find((c) => String(c.body.text ?? '').includes('Keine der genehmigenden Personen'));
    assert.ok(note, 'told in German');
    assert.match(String(note.body.text), /bleibt offen/);
  });
});
