/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium: the real bot (via
 * BotHarness, against Azurite and the Graph sandbox) gets every activity from the Playground, and
 * replies to the Playground's own connector (the activities' serviceUrl).
 *
 * Requester: types "request", fills the rendered form card, clicks "Submit request", sees "Request
 * sent / Pending approval". Approver: the Playground shows only its currentUser's chats and has no
 * user switch, so the approval cards it received are checked through its log panel and the bot's
 * store, and the approval is sent as a mocked activity (the Playground's "Mock an Activity" API)
 * from the approver; the requester's chat then shows the outcome, and the "Request sent" card
 * itself (the message the submit replaced, updated in place) turns into the invited state. A second
 * request, denied the same way, turns into "Request denied" with the reason.
 *
 * Screenshots go to test-results/e2e/ (E2E_UPDATE_DOCS=1 also copies them to docs/).
 * Skipped only when /usr/bin/chromium is absent (CI installs it).
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mockCardAction, startPlayground, type RunningPlayground } from '../../tools/playground';
import { APPROVERS, BotHarness, REQUESTER } from '../support/botHarness';
import { TEST_TENANT } from '../support/teamsActivities';
import { writePlaygroundConfig } from './playgroundConfig';

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
  let playground: RunningPlayground | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let profile: string | undefined;
  let configDir: string | undefined;
  const playgroundLog: string[] = [];
  let requestId = '';

  /** `docs`: the README shows this one (E2E_UPDATE_DOCS=1 refreshes it). */
  const shot = async (name: string, { docs = true } = {}) => {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    if (docs && process.env.E2E_UPDATE_DOCS === '1') copyFileSync(file, join(ROOT, 'docs', `${name}.png`));
  };

  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip(); // no browser: CI installs chromium via apt-get (.ci/run)
    bot = await BotHarness.start();
    const configFile = writePlaygroundConfig({ tenantId: TEST_TENANT, currentUser: REQUESTER, users: APPROVERS });
    configDir = join(configFile, '..');
    playground = await startPlayground({
      botEndpoint: `${bot.url}/api/messages`,
      port: 0,
      configFile,
      cwd: configDir,
      logFile: join(configDir, 'playground.log'),
      onOutput: (line) => playgroundLog.push(line),
    });
    profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(playground.url);
  });

  after(async function () {
    if (this.currentTest?.state === 'failed' && page) await shot('failure', { docs: false }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await playground?.stop();
    await bot?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(`failed-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`, { docs: false }).catch(() => undefined);
      process.stderr.write(`playground output:\n${playgroundLog.slice(-20).join('\n')}\nbot log:\n${bot?.logLines.slice(-20).join('\n')}\n`);
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
    await eventually('the form card', async () => ((await page.getByPlaceholder('name@example.com').count()) > forms ? true : undefined), 20_000);
    const email = page.getByPlaceholder('name@example.com').last();
    await page.getByText('Request guest access', { exact: true }).last().waitFor();
    await email.fill(guest);
    await page.getByPlaceholder('Alex Example').last().fill(name);
    await page.getByPlaceholder('Project, team and what they will work on').last().fill('Joint project Falcon: shared design reviews');
    await page.getByText('Guest\'s email address').last().scrollIntoViewIfNeeded();
  };

  /** The stored request for a guest, once the bot has it. */
  const requestFor = (guest: string) =>
    eventually(`the request for ${guest}`, async () => (await bot!.app.workflow.store.listByRequester(REQUESTER.aadObjectId, 20)).items.find((r) => r.guest.email === guest));

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

  it('approver: the approval cards reached the Playground; approving (mocked activity) reaches the requester', async () => {
    assert.ok(requestId, 'needs the first test');
    // The bot opened a chat with each approver through the Playground's connector and posted the card.
    const messages = await eventually('approval messages for both approvers', async () => {
      await bot!.idle();
      const saved = await bot!.app.workflow.store.listApprovalMessages(requestId);
      return saved.length === APPROVERS.length ? saved : undefined;
    });
    assert.deepEqual(messages.map((m) => m.approverId).sort(), APPROVERS.map((a) => a.aadObjectId).sort());
    for (const m of messages) assert.equal(m.address.serviceUrl, playground!.serviceUrl, 'approver chats live on the Playground connector');

    // The Playground logged both createConversation calls; its log panel shows the card it received.
    await page.getByText('createConversation', { exact: false }).first().waitFor({ timeout: 10_000 });
    assert.equal(await page.getByText(/^createConversation/).count(), APPROVERS.length);
    // The last "message 201" so far is an approval card (the requester's card was an invoke response):
    // open it in the log panel's details, which show the activity with the card JSON.
    await page.getByText('message 201', { exact: true }).last().click();
    const details = page.getByText('"verb": "approve"', { exact: false }).last();
    await details.waitFor({ timeout: 10_000 });
    await details.scrollIntoViewIfNeeded();
    await shot('approval-card');

    // Act as the approver: the Playground's "Mock an Activity" endpoint forwards any activity to the bot.
    const approver = APPROVERS[0]!;
    assert.equal(await mockCardAction(playground!, approver, 'approve', { requestId }), 200);

    const invited = await eventually('the request to be Invited (Graph sandbox)', async () => {
      await bot!.idle();
      const current = await bot!.app.workflow.store.get(requestId);
      return current?.value.status === 'Invited' ? current.value : undefined;
    }, 30_000);
    assert.equal(invited.status, 'Invited');

    // The requester's chat: the "Request sent" card turned into the invited state in place (no card
    // says "Pending approval" any more, nor offers Cancel), and the link message came as well.
    await eventually('the live card and the link message to show "Your guest is invited"', async () =>
      (await page.getByText('Your guest is invited', { exact: true }).count()) >= 2 ? true : undefined, 20_000);
    await eventually('no card left pending', async () => ((await page.getByText('Pending approval', { exact: true }).count()) === 0 ? true : undefined));
    assert.equal(await page.getByText('Request sent', { exact: true }).count(), 0, 'the "Request sent" card was replaced in place');
    assert.equal(await page.getByRole('button', { name: 'Cancel request' }).count(), 0, 'no Cancel once decided');
    await page.getByText(`Approved by ${approver.name}`, { exact: false }).first().waitFor();
    // The live card (the first of the two) with its link, once.
    const live = page.getByText('Your guest is invited', { exact: true }).first();
    await live.scrollIntoViewIfNeeded();
    await shot('request-approved');
  });

  it('requester: a denied request turns its "Request sent" card into "Request denied" with the reason', async () => {
    const guest = 'heron.partner@fabrikam.example';
    await fillForm(guest, 'Hal Heron');
    await page.getByRole('button', { name: 'Submit request' }).last().click();
    await page.getByText('Pending approval', { exact: true }).last().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Cancel request' }).last().waitFor();
    const request = await requestFor(guest);
    assert.ok(request.requesterCardId, 'the live card is recorded');

    assert.equal(await mockCardAction(playground!, APPROVERS[1]!, 'deny', { requestId: request.id, reason: 'Use the partner portal' }), 200);
    await eventually('the request to be Denied', async () => ((await bot!.app.workflow.store.get(request.id))?.value.status === 'Denied' ? true : undefined));
    await eventually('the live card and the outcome message to show "Request denied"', async () =>
      (await page.getByText('Request denied', { exact: true }).count()) >= 2 ? true : undefined, 20_000);
    await eventually('no card left pending', async () => ((await page.getByText('Pending approval', { exact: true }).count()) === 0 ? true : undefined));
    assert.equal(await page.getByRole('button', { name: 'Cancel request' }).count(), 0, 'no Cancel on the denied card');
    assert.ok((await page.getByText('Use the partner portal', { exact: false }).count()) >= 1, 'the reason is shown');
    await page.getByText('Request denied', { exact: true }).first().scrollIntoViewIfNeeded();
    await shot('request-denied', { docs: false });
  });

  it('a quiet start: the Playground\'s probe (HEAD /api/messages) and the whole walk logged no warning; nothing deprecated', async () => {
    const warnings = bot!.logLines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.level >= 40);
    assert.deepEqual(warnings, []);
    assert.deepEqual(playgroundLog.filter((line) => /DeprecationWarning|\bDEP\d{4}\b/.test(line)), []);
  });
});
