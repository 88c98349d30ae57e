/**
 * Property-based fuzzing over HTTP against one real bot (BotHarness): arbitrary card submissions
 * for every verb, arbitrary `value` shapes and arbitrary activity field types. Whatever arrives:
 * never a 5xx, no Graph call, nothing stored unless the form data itself is valid, the existing
 * requests keep their state, and no handler crashes.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { pickRawInput, validateRequestInput } from '../../src/domain/validation/requestInput';
import { APPROVERS, BotHarness, cardOf, REQUESTER, requestIdIn } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { BOT, TEST_TENANT, type TeamsPerson } from '../support/teamsActivities';
import { allInvitations } from '../support/graphSandboxClient';
import { rawPost } from './support';

const [ANNA] = APPROVERS as [TeamsPerson];
/** A non-approver whose requests we count; and Anna, restricted to request ids that do not exist. */
const FUZZER: TeamsPerson = { aadObjectId: randomUUID(), name: 'Fuzz Person' };
const VERBS = ['submitRequest', 'approve', 'deny', 'retryInvitation', 'cancelRequest', 'openRequestForm', 'myRequests', 'unknownVerb'];
const RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 500);

describe('fuzz: arbitrary activities over HTTP', function () {
  this.timeout(120_000);
  let bot: BotHarness;
  const existing: { pending: string[]; denied: string[] } = { pending: [], denied: [] };

  before(async () => {
    bot = await BotHarness.start();
    for (let i = 0; i < 2; i++) {
      const answer = await bot.invoke(REQUESTER, 'submitRequest', {
        email: uniqueGuestEmail(),
        justification: 'Fuzz target',
        sendInvitationMessage: 'false',
      });
      existing.pending.push(requestIdIn(cardOf(answer)));
    }
    const toDeny = requestIdIn(
      cardOf(await bot.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Fuzz target' })),
    );
    await bot.idle();
    await bot.invoke(ANNA, 'deny', { requestId: toDeny, reason: 'No' });
    existing.denied.push(toDeny);
    await bot.idle();
  });
  after(async () => {
    await bot?.stop();
  });

  async function storedCount(): Promise<{ fuzzer: number; all: number }> {
    await bot.idle();
    const store = bot.app.workflow.store;
    const fuzzer = (await store.listByRequester(FUZZER.aadObjectId, 1000)).items.length;
    // Non-approvers can only create (Pending) and cancel their own (Cancelled).
    const all = (await store.listByStatus('Pending', 1000)).items.length + (await store.listByStatus('Cancelled', 1000)).items.length;
    return { fuzzer, all };
  }

  it(`${RUNS} arbitrary activities: no 5xx, no Graph call, nothing stored from invalid data, no crash`, async () => {
    const url = bot.connector.url;
    const json = fc.jsonValue({ maxDepth: 3 });
    /** Mostly well-typed (so most cases reach the handlers), sometimes anything at all. */
    const objectOf = fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 4 });
    const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: json });
    const requestIds = fc.oneof(
      fc.constantFrom(
        ...existing.pending,
        ...existing.denied,
        'GR-0000000000',
        'gr-aaaaaaaaaa',
        '',
        ' ',
        'GR-AAAAAAAAAA\u0000',
        '../../x',
        `${'A'.repeat(65)}`,
      ),
      fc.string({ maxLength: 70 }),
      json,
    );
    const formValue = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      json,
      fc.constant(uniqueGuestEmail()),
    );
    const data = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record(
          {
            email: fc.oneof(formValue, fc.constantFrom('guest@fabrikam.com', 'a@b.co', 'bad@@x.com', ' guest@fabrikam.com ')),
            displayName: formValue,
            justification: fc.oneof(formValue, fc.constantFrom('Because', ' ', '')),
            message: formValue,
            sendInvitationMessage: fc.oneof(fc.constantFrom('true', 'false', ''), json),
            requestId: requestIds,
            reason: formValue,
            cursor: fc.oneof(fc.string({ maxLength: 1100 }), json),
            status: fc.constantFrom('Approved', 'Invited', 'Pending'),
            requester: fc.constant({ id: ANNA.aadObjectId, name: 'Anna' }),
          },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: json },
      { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
    );
    const verb = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...VERBS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
      { weight: 1, arbitrary: json },
    );
    const value = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          action: fc.record({ type: fc.constant('Action.Execute'), verb, data, id: fc.uuid() }),
          trigger: fc.constant('manual'),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record(
          {
            action: fc.oneof(
              json,
              fc.record(
                { type: fc.oneof(fc.constantFrom('Action.Submit', 'Action.Execute', 'action.execute'), json), verb, data },
                { requiredKeys: [] },
              ),
            ),
            trigger: json,
          },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: json },
    );
    const from = fc.oneof(
      { weight: 8, arbitrary: fc.constant({ id: `29:${FUZZER.aadObjectId}`, name: FUZZER.name, aadObjectId: FUZZER.aadObjectId }) },
      { weight: 2, arbitrary: fc.constant({ id: `29:${ANNA.aadObjectId}`, name: ANNA.name, aadObjectId: ANNA.aadObjectId }) },
      {
        weight: 2,
        arbitrary: fc.record(
          {
            id: fc.oneof(fc.constant(`29:${FUZZER.aadObjectId}`), fc.string({ minLength: 1, maxLength: 30 })),
            name: fc.oneof(fc.string({ maxLength: 300 }), json),
            aadObjectId: fc.oneof(fc.constantFrom('', ' ', 'x'.repeat(65), ` ${FUZZER.aadObjectId.toUpperCase()} `), json),
          },
          { requiredKeys: ['id'] },
        ),
      },
      { weight: 1, arbitrary: json },
    );
    const tenant = fc.oneof(
      { weight: 8, arbitrary: fc.constant({ tenant: { id: TEST_TENANT } }) },
      { weight: 1, arbitrary: fc.record({ tenant: fc.oneof(json, fc.record({ id: json })) }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: json },
    );
    const fuzzerAccount = { id: `29:${FUZZER.aadObjectId}`, name: FUZZER.name, aadObjectId: FUZZER.aadObjectId };
    const envelope = {
      recipient: BOT,
      locale: 'en-US',
      conversation: { conversationType: 'personal', tenantId: TEST_TENANT, id: `a:personal-${FUZZER.aadObjectId}` },
      channelData: { tenant: { id: TEST_TENANT } },
    };
    const withoutLists = (a: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(a).filter(([k]) => !['membersAdded', 'membersRemoved', 'entities', 'attachments', 'id'].includes(k)),
      );
    const isPlainObject = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
    const activity = fc
      .record(
        {
          type: fc.oneof(
            { weight: 6, arbitrary: fc.constant('invoke') },
            {
              weight: 3,
              arbitrary: fc.constantFrom(
                'message',
                'conversationUpdate',
                'messageReaction',
                'event',
                'installationUpdate',
                'typing',
                'endOfConversation',
                'invokeResponse',
                'trace',
              ),
            },
            { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), json) },
          ),
          name: fc.oneof(
            { weight: 8, arbitrary: fc.constant('adaptiveCard/action') },
            {
              weight: 2,
              arbitrary: fc.constantFrom(
                'task/fetch',
                'task/submit',
                'composeExtension/query',
                'signin/verifyState',
                'actionableMessage/executeAction',
                'fileConsent/invoke',
                'config/fetch',
                'healthCheck',
                '',
              ),
            },
            { weight: 1, arbitrary: json },
          ),
          value,
          from,
          channelData: tenant,
          conversation: fc.oneof(
            {
              weight: 8,
              arbitrary: fc.constant({ conversationType: 'personal', tenantId: TEST_TENANT, id: `a:personal-${FUZZER.aadObjectId}` }),
            },
            {
              weight: 1,
              arbitrary: fc.record(
                { id: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), json), tenantId: json, isGroup: json },
                { requiredKeys: [] },
              ),
            },
            { weight: 1, arbitrary: json },
          ),
          recipient: mostly(fc.constant(BOT)),
          text: mostly(
            fc.oneof(
              fc.constantFrom('request', 'my requests', 'pending', 'help', '<at>Guest Access</at> pending', '/Request!'),
              fc.string({ maxLength: 250 }),
            ),
          ),
          locale: mostly(fc.constantFrom('en-US', 'de-DE', '', 'x'.repeat(100))),
          timestamp: fc.oneof(fc.constant(new Date().toISOString()), fc.string({ maxLength: 30 }), json),
          localTimestamp: fc.oneof(fc.string({ maxLength: 30 }), json),
          membersAdded: mostly(
            fc.oneof(
              fc.constant([{ id: BOT.id }]),
              fc.array(fc.record({ id: fc.oneof(fc.string(), json), name: json }, { requiredKeys: [] }), { maxLength: 3 }),
            ),
          ),
          membersRemoved: mostly(fc.array(objectOf, { maxLength: 3 })),
          entities: mostly(
            fc.array(
              fc.oneof(fc.record({ type: fc.constantFrom('mention', 'clientInfo'), text: fc.string(), mentioned: json }), objectOf),
              { maxLength: 3 },
            ),
          ),
          attachments: mostly(
            fc.array(
              fc.oneof(
                fc.record({ contentType: fc.oneof(fc.constant('application/vnd.microsoft.card.adaptive'), json), content: json }),
                objectOf,
              ),
              { maxLength: 3 },
            ),
          ),
          replyToId: json,
          id: mostly(fc.uuid()),
        },
        { requiredKeys: ['type', 'from', 'conversation'] },
      )
      // Three in four keep a well-formed envelope, so that most cases reach the handlers.
      .chain((a) =>
        fc
          .nat(3)
          .map((dice) => (dice === 0 ? a : { ...withoutLists(a), ...envelope, from: isPlainObject(a.from) ? a.from : fuzzerAccount })),
      )
      .map((a) => {
        const body: Record<string, unknown> = { channelId: 'msteams', serviceUrl: url, ...a };
        // Anna is an approver: pointing her at a real pending request would be a legitimate approval.
        const action = (body.value as { action?: { data?: Record<string, unknown> } } | undefined)?.action;
        const aadObjectId = (body.from as { aadObjectId?: unknown } | null)?.aadObjectId;
        if (aadObjectId === ANNA.aadObjectId && action?.data && typeof action.data === 'object' && 'requestId' in action.data)
          action.data.requestId = 'GR-NOPE000000';
        return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
      });

    const invitationsBefore = (await allInvitations()).length;
    let counts = await storedCount();
    const statuses = new Map<number, number>();
    const logMark = bot.logLines.length;
    let mayHaveStored = 0;
    const started = Date.now();

    await fc.assert(
      fc.asyncProperty(activity, async (body) => {
        const answer = await rawPost(bot, JSON.stringify(body), { 'content-type': 'application/json' });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (process.env.FUZZ_DEBUG && answer.status === 400) console.log(answer.text.slice(0, 120));
        assert.ok(answer.status < 500, `status ${answer.status}: ${answer.text.slice(0, 300)}`);
        const after = await storedCount();
        const action = (body.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
        const validForm = action?.verb === 'submitRequest' && validateRequestInput(pickRawInput(action.data)).ok;
        if (validForm) {
          mayHaveStored++;
          assert.ok(after.all <= counts.all + 1 && after.fuzzer <= counts.fuzzer + 1, 'at most one request per valid submission');
        } else {
          assert.deepEqual(after, counts, 'nothing stored for invalid input');
        }
        counts = after;
      }),
      { numRuns: RUNS },
    );

    const elapsed = Date.now() - started;
    assert.equal((await allInvitations()).length, invitationsBefore, 'no Graph call');
    for (const id of existing.pending) assert.equal((await bot.app.workflow.store.get(id))!.value.status, 'Pending', `${id} untouched`);
    for (const id of existing.denied) assert.equal((await bot.app.workflow.store.get(id))!.value.status, 'Denied', `${id} untouched`);
    const crashes = bot.logLines.slice(logMark).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(crashes.slice(0, 5), [], `${crashes.length} error-level log lines (handler crashes)`);
    // Visible in the mocha output, to see what the run covered.
    console.log(
      `      ${RUNS} cases in ${elapsed} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${mayHaveStored} valid submissions`,
    );
  });
});
