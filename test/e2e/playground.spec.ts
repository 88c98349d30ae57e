/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium: the real bot (via
 * BotHarness, against Azurite and the Graph sandbox) gets every activity from the Playground, and
 * replies to the Playground's own connector (the activities' serviceUrl).
 *
 * Requester: types "request", fills the rendered form card, clicks "Submit request", sees "Request
 * sent / Pending approval". Approver: the Playground shows only its currentUser's chats and has no
 * user switch, so the approval cards it received are checked through its log panel and the bot's
 * store, and the approval is sent as a mocked activity (the Playground's "Mock an Activity" API)
 * from the approver; the requester's chat then shows the outcome.
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
import { writePlaygroundConfig } from '../../tools/playgroundConfig';

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

  const shot = async (name: string) => {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    if (process.env.E2E_UPDATE_DOCS === '1') copyFileSync(file, join(ROOT, 'docs', `${name}.png`));
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
    if (this.currentTest?.state === 'failed' && page) await shot('failure').catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await playground?.stop();
    await bot?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(`failed-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`).catch(() => undefined);
      process.stderr.write(`playground output:\n${playgroundLog.slice(-20).join('\n')}\nbot log:\n${bot?.logLines.slice(-20).join('\n')}\n`);
    }
  });

  it('requester: "request" shows the form card; Submit request shows "Request sent — Pending approval"', async () => {
    // The compose box is a Lexical editor: a contenteditable role=textbox, its placeholder a span.
    const input = page.locator('[contenteditable="true"][role="textbox"]').first();
    await input.waitFor({ timeout: 30_000 });
    await input.click();
    await page.keyboard.type('request');
    await page.keyboard.press('Enter');

    const email = page.getByPlaceholder('name@example.com').last();
    await email.waitFor({ timeout: 20_000 });
    await page.getByText('Request guest access', { exact: true }).last().waitFor();
    await email.fill(GUEST);
    await page.getByPlaceholder('Alex Example').last().fill('Fran Falcon');
    await page.getByPlaceholder('Project, team and what they will work on').last().fill('Joint project Falcon: shared design reviews');
    await page.getByText('Guest\'s email address').last().scrollIntoViewIfNeeded();
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
    // The card shows the id the store has.
    await page.getByText(requestId, { exact: true }).last().waitFor();
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

    // The requester's personal chat in the Playground gets the outcome with the invitation link.
    const outcome = page.getByText('Your guest is invited', { exact: true }).last();
    await outcome.waitFor({ timeout: 20_000 });
    await page.getByText(`Approved by ${approver.name}`, { exact: false }).last().waitFor();
    await page.getByText('Open invitation link', { exact: true }).last().scrollIntoViewIfNeeded();
    await shot('request-approved');
  });
});
