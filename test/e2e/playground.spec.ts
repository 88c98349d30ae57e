/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium, as `npm run dev`
 * runs it: one Playground per person (Rita the requester, Anna and Ben the approvers) behind one
 * connector router (tools/connectorRouter.ts), the real bot (via BotHarness, against Azurite and
 * the Graph sandbox) behind them.
 *
 * Rita's page: types "request", fills the rendered form card, clicks "Submit request", sees
 * "Request sent / Pending approval". Anna's page: the approval card arrives in her chat; she clicks
 * Approve (the invoke goes from her Playground to the bot, as her). Rita's page then shows the
 * invitation link.
 * Rita's "Request sent" card (the message the submit replaced) is updated in place: it turns into
 * the invited state, with no Cancel left.
 *
 * Screenshots go to test-results/e2e/ (E2E_UPDATE_DOCS=1 also copies them to docs/).
 * Skipped only when /usr/bin/chromium is absent (CI installs it).
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startPlaygroundsFor, type PeoplePlaygrounds } from '../../tools/playgroundsForPeople';
import { ANNA, BEN } from '../../tools/teamsActivities';
import { APPROVERS, BotHarness, REQUESTER } from '../support/botHarness';
import { TEST_TENANT } from '../support/teamsActivities';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');
const SHOTS = join(ROOT, 'test-results', 'e2e');
const GUEST = 'falcon.partner@fabrikam.example';

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('E2E: Agents Playground in headless Chromium', function () {
  this.timeout(120_000);

  let bot: BotHarness | undefined;
  let playgrounds: PeoplePlaygrounds | undefined;
  let browser: BrowserContext | undefined;
  /** Rita's Playground page, and Anna's. */
  let page: Page;
  let annaPage: Page;
  let profile: string | undefined;
  let configDir: string | undefined;
  const playgroundLog: string[] = [];
  let requestId = '';

  /** `docs`: the README shows this one (E2E_UPDATE_DOCS=1 refreshes it). */
  const shot = async (name: string, of: Page = page, docs = true) => {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `${name}.png`);
    await of.screenshot({ path: file });
    if (docs && process.env.E2E_UPDATE_DOCS === '1') copyFileSync(file, join(ROOT, 'docs', `${name}.png`));
  };

  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip(); // no browser: CI installs chromium via apt-get (.ci/run)
    bot = await BotHarness.start();
    configDir = mkdtempSync(join(tmpdir(), 'playground-e2e-'));
    playgrounds = await startPlaygroundsFor({
      botEndpoint: `${bot.url}/api/messages`,
      tenantId: TEST_TENANT,
      seats: [
        { key: 'rita', person: REQUESTER, port: 0 },
        { key: 'anna', person: ANNA, port: 0 },
        { key: 'ben', person: BEN, port: 0 },
      ],
      folder: configDir,
      onOutput: (key, line) => playgroundLog.push(`${key}: ${line}`),
    });
    profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(playgrounds.of('rita').url);
    annaPage = await browser.newPage();
    await annaPage.goto(playgrounds.of('anna').url);
  });

  after(async function () {
    if (this.currentTest?.state === 'failed' && page) await shot('failure', page, false).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await playgrounds?.stop();
    await bot?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(`failed-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`, page, false).catch(() => undefined);
      if (annaPage)
        await shot(`failed-anna-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`, annaPage, false).catch(() => undefined);
      process.stderr.write(
        `playground output:\n${playgroundLog.slice(-20).join('\n')}\nbot log:\n${bot?.logLines.slice(-20).join('\n')}\n`,
      );
    }
  });

  /** Types "request" as Rita and fills the form card that comes back (not submitted yet). */
  const fillForm = async (guest: string, name: string) => {
    // The compose box is a Lexical editor: a contenteditable role=textbox, its placeholder a span.
    const input = page.locator('[contenteditable="true"][role="textbox"]').first();
    await input.waitFor({ timeout: 30_000 });
    const forms = await page.getByPlaceholder('name@example.com').count();
    await input.click();
    await page.keyboard.type('request');
    await page.keyboard.press('Enter');
    await eventually(
      'the form card',
      async () => ((await page.getByPlaceholder('name@example.com').count()) > forms ? true : undefined),
      20_000,
    );
    const email = page.getByPlaceholder('name@example.com').last();
    await page.getByText('Request guest access', { exact: true }).last().waitFor();
    await email.fill(guest);
    await page.getByPlaceholder('Alex Example').last().fill(name);
    await page.getByPlaceholder('Project, team and what they will work on').last().fill('Joint project Falcon: shared design reviews');
    await page.getByText("Guest's email address").last().scrollIntoViewIfNeeded();
  };

  it('requester: "request" shows the form card; Submit request shows "Request sent — Pending approval"', async () => {
    await fillForm(GUEST, 'Fran Falcon');
    await shot('request-form');

    await page.getByRole('button', { name: 'Submit request' }).last().click();
    await page.getByText('Request sent', { exact: true }).last().waitFor({ timeout: 20_000 });
    await page.getByText('Pending approval', { exact: true }).last().waitFor();
    const sent = page.getByText('Request sent', { exact: true }).last();
    await sent.scrollIntoViewIfNeeded();
    await shot('request-sent');

    const pending = await bot!.app.workflow.store.listByStatus('Pending', 10);
    const request = pending.items.find((r) => r.guest.email === GUEST);
    assert.ok(request, 'the bot stored the request as Pending');
    requestId = request.id;
    assert.equal(request.requester.id, REQUESTER.aadObjectId);
    // The card shows the id the store has, and the bot knows which message holds it (the invoke's replyToId).
    await page.getByText(requestId, { exact: true }).last().waitFor();
    assert.ok(request.requesterCardId, 'the live card is recorded');
  });

  it("approver: the approval card arrives in Anna's Playground; her Approve reaches Rita as the invitation link", async () => {
    assert.ok(requestId, 'needs the first test');
    // The bot opened a chat with each approver on the one serviceUrl it knows, the router's, which
    // handed each to that approver's own Playground: Anna's is her personal chat there.
    const messages = await eventually('approval messages for both approvers', async () => {
      await bot!.idle();
      const saved = await bot!.app.workflow.store.listApprovalMessages(requestId);
      return saved.length === APPROVERS.length ? saved : undefined;
    });
    assert.deepEqual(messages.map((m) => m.approverId).sort(), APPROVERS.map((a) => a.aadObjectId).sort());
    for (const m of messages)
      assert.equal(m.address.serviceUrl, playgrounds!.router.serviceUrl, 'approver chats live on the one serviceUrl');
    const annas = messages.find((m) => m.approverId === ANNA.aadObjectId)!;
    assert.equal(annas.address.conversationId, `a:personal-${ANNA.aadObjectId}`, "Anna's card is in her own personal chat");

    // Anna's page shows the card with Rita's request and its buttons; Rita's does not.
    await annaPage.getByText(requestId, { exact: true }).last().waitFor({ timeout: 20_000 });
    await annaPage.getByText('Rita Requester', { exact: true }).last().waitFor();
    const approve = annaPage.getByRole('button', { name: 'Approve' }).last();
    await approve.waitFor();
    await annaPage.getByRole('button', { name: 'Deny' }).last().waitFor();
    await approve.scrollIntoViewIfNeeded();
    await shot('approval-card', annaPage);
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, "Rita's Playground shows no approval card");

    // Anna clicks Approve: her Playground sends the invoke to the bot, from her.
    await approve.click();
    const invited = await eventually(
      'the request to be Invited (Graph sandbox)',
      async () => {
        await bot!.idle();
        const current = await bot!.app.workflow.store.get(requestId);
        return current?.value.status === 'Invited' ? current.value : undefined;
      },
      30_000,
    );
    assert.equal(invited.status, 'Invited');
    assert.equal(invited.decision?.by.id, ANNA.aadObjectId, 'decided by Anna, as her Playground said');
    // Her card now says it is approved, and its buttons are gone.
    await annaPage.getByText(`Approved by ${ANNA.name}`, { exact: false }).last().waitFor({ timeout: 20_000 });
    await shot('approval-approved', annaPage);

    // Rita's personal chat in her Playground gets the outcome with the invitation link.
    const outcome = page.getByText('Your guest is invited', { exact: true }).last();
    await outcome.waitFor({ timeout: 20_000 });
    await page.getByText(`Approved by ${ANNA.name}`, { exact: false }).last().waitFor();
    // The link itself, to pass on to the guest (the Graph sandbox's redeem URL).
    await page.getByText('Send this link to Fran Falcon', { exact: false }).last().scrollIntoViewIfNeeded();
    await page.getByText('https://login.microsoftonline.com/redeem', { exact: false }).last().waitFor();
    // The "Request sent" card turned into the invited state in place (no card says "Pending
    // approval" any more, nor offers Cancel), and the link message came as well.
    await eventually(
      'the live card and the link message to show "Your guest is invited"',
      async () => ((await page.getByText('Your guest is invited', { exact: true }).count()) >= 2 ? true : undefined),
      20_000,
    );
    await eventually('no card left pending', async () =>
      (await page.getByText('Pending approval', { exact: true }).count()) === 0 ? true : undefined,
    );
    assert.equal(await page.getByText('Request sent', { exact: true }).count(), 0, 'the "Request sent" card was replaced in place');
    assert.equal(await page.getByRole('button', { name: 'Cancel request' }).count(), 0, 'no Cancel once decided');
    await page.getByText('Your guest is invited', { exact: true }).first().scrollIntoViewIfNeeded();
    await shot('request-approved');
  });

  it('approver: Anna denies a second request with a reason in her Playground; Rita\'s "Request sent" card turns into the denial with the reason', async () => {
    const guest = 'heron.partner@fabrikam.example';
    await fillForm(guest, 'Hal Heron');
    await page.getByRole('button', { name: 'Submit request' }).last().click();
    await page.getByText('Pending approval', { exact: true }).last().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Cancel request' }).last().waitFor();
    const second = (
      await eventually('the second request', async () =>
        (await bot!.app.workflow.store.listByRequester(REQUESTER.aadObjectId, 20)).items.find((r) => r.guest.email === guest),
      )
    ).id;
    await bot!.idle();

    await annaPage.getByText(second, { exact: true }).last().waitFor({ timeout: 20_000 });
    const reason = annaPage.locator('textarea').last();
    await reason.fill('Please use the partner portal');
    await annaPage.getByRole('button', { name: 'Deny' }).last().click();
    await annaPage.getByText(`Denied by ${ANNA.name}`, { exact: false }).last().waitFor({ timeout: 20_000 });
    const denied = await bot!.app.workflow.store.get(second);
    assert.equal(denied?.value.status, 'Denied');
    assert.equal(denied?.value.decision?.by.id, ANNA.aadObjectId);

    // Both the live card (updated in place) and the outcome message say so, with the reason; no
    // card is left pending or offers Cancel.
    await eventually(
      'the live card and the outcome message to show "Request denied"',
      async () => ((await page.getByText('Request denied', { exact: true }).count()) >= 2 ? true : undefined),
      20_000,
    );
    await eventually('no card left pending', async () =>
      (await page.getByText('Pending approval', { exact: true }).count()) === 0 ? true : undefined,
    );
    assert.equal(await page.getByRole('button', { name: 'Cancel request' }).count(), 0, 'no Cancel once decided');
    await page.getByText('Please use the partner portal', { exact: false }).last().waitFor();
  });

  it("a quiet start: the Playground's probe (HEAD /api/messages) and the whole walk logged no warning; nothing deprecated", async () => {
    const warnings = bot!.logLines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.level >= 40);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      playgroundLog.filter((line) => /DeprecationWarning|\bDEP\d{4}\b/.test(line)),
      [],
    );
  });
});
