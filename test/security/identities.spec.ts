/**
 * Entra object ids are compared as canonical lower-case GUIDs: another spelling of the same id
 * (braces, upper case, invisible characters) is the same person, and an id that is not a GUID is
 * no identity at all.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { canonicalObjectId, sameId } from '../../src/domain/identity';
import { loadConfig } from '../../src/config/loadConfig';
import { APPROVERS, useBotHarness, cardOf, REQUESTER, requestIdIn } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import { cardActionActivity, messageActivity, type TeamsPerson } from '../support/teamsActivities';

const [ANNA, BEN] = APPROVERS as [TeamsPerson, TeamsPerson];
const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u200E', '\u200F'];
const WHITESPACE = [' ', '\t', '\n', '\u00A0', '\u3000'];

const guid = fc.uuid().map((id) => id.toLowerCase());
/** The same GUID as a client or an operator might write it. */
const spellingOf = (id: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: id.length, maxLength: id.length }),
      fc.boolean(),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { maxLength: 4 }),
      fc.constantFrom(...['', ...WHITESPACE]),
      fc.constantFrom(...['', ...WHITESPACE]),
    )
    .map(([upper, braces, invisible, before, after]) => {
      const chars = [...id].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch));
      const body = braces ? ['{', ...chars, '}'] : chars;
      for (const [at, ch] of invisible) body.splice(at % (body.length + 1), 0, ch);
      return `${before}${body.join('')}${after}`;
    });

describe('identities (pure): one canonical spelling of an object id', () => {
  it('every spelling of a GUID canonicalises to the same lower-case GUID, and counts as the same id', () => {
    fc.assert(
      fc.property(
        guid.chain((id) => fc.tuple(fc.constant(id), spellingOf(id), spellingOf(id))),
        ([id, a, b]) => {
          assert.equal(canonicalObjectId(a), id);
          assert.equal(canonicalObjectId(b), id);
          assert.ok(sameId(a, b) && sameId(a, id));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('anything that is not a GUID gives undefined', () => {
    const notGuid = fc.oneof(
      fc.string({ maxLength: 60 }),
      // Any UTF-16 code unit (fast-check's 'binary' unit is slow to generate).
      fc.string({ unit: fc.nat({ max: 0xffff }).map((n) => String.fromCharCode(n)), maxLength: 60 }),
      // Near misses: a digit or letter swapped for a look-alike, one character short or long, inner spaces, doubled braces.
      guid.chain((id) =>
        fc.constantFrom(
          id.replace(/[0-9]/, (d) => String.fromCharCode(0xff10 + Number(d))),
          id.replace(/[a-f]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
          id.replace('-', ' - '),
          id.slice(1),
          `${id}0`,
          `{{${id}}}`,
          `{${id}`,
          id.replace(/-/g, ''),
          `urn:uuid:${id}`,
          `29:${id}`,
        ),
      ),
    );
    fc.assert(
      fc.property(notGuid, (raw) => {
        const stripped = raw
          .replace(/[\p{Cf}\uFE00-\uFE0F]/gu, '')
          .trim()
          .replace(/^\{(.*)\}$/s, '$1')
          .trim();
        fc.pre(!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(stripped));
        assert.equal(canonicalObjectId(raw), undefined, JSON.stringify(raw));
      }),
      { numRuns: 2000 },
    );
    for (const raw of [undefined, null, 42, {}, '', '   ', 'not-a-guid', 'x'.repeat(1000)]) assert.equal(canonicalObjectId(raw), undefined);
  });

  it('configuration: approver ids are kept canonical, and a non-GUID is one clear configuration error', () => {
    const base = { GRAPH_BASE_URL: 'http://127.0.0.1:5999/v1.0' };
    const ok = loadConfig({
      ...base,
      APPROVER_IDS: `{${ANNA.aadObjectId.toUpperCase()}}, \u200B${BEN.aadObjectId}\uFEFF, ${ANNA.aadObjectId}`,
    });
    assert.ok(ok.ok);
    assert.deepEqual(ok.config.approverIds, [ANNA.aadObjectId, BEN.aadObjectId]);
    const bad = loadConfig({ ...base, APPROVER_IDS: `${ANNA.aadObjectId},anna@contoso.example,29:${BEN.aadObjectId}` });
    assert.ok(!bad.ok);
    const lines = bad.problems.filter((p) => p.includes('APPROVER_IDS'));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^APPROVER_IDS must hold Entra object ids \(GUIDs\), not: "anna@contoso\.example", "29:3{8}/);
    assert.doesNotMatch(lines[0]!, /\n/);
  });
});

describe('identities through /api/messages', () => {
  const bot = useBotHarness();

  /** Clicks `verb` as `person`, with their object id spelled as `aadObjectId` in the activity. */
  function invokeSpelled(person: TeamsPerson, aadObjectId: string, verb: string, data: Record<string, unknown>) {
    const activity = cardActionActivity(person, bot.connector.url, verb, data) as { from: Record<string, unknown> };
    activity.from = { ...activity.from, aadObjectId };
    return bot.post(activity);
  }

  async function submit(requester: TeamsPerson): Promise<{ requestId: string; email: string }> {
    const email = uniqueGuestEmail();
    const requestId = requestIdIn(
      cardOf(await bot.invoke(requester, 'submitRequest', { email, justification: 'Identity check', sendInvitationMessage: 'false' })),
    );
    await bot.idle();
    return { requestId, email };
  }

  it('an approver approving their own request under another spelling of their id is refused as their own request', async () => {
    for (const spelled of [
      `{${ANNA.aadObjectId.toUpperCase()}}`,
      `\u200B${ANNA.aadObjectId.slice(0, 8)}\u200D${ANNA.aadObjectId.slice(8)}\uFEFF`,
      ` ${ANNA.aadObjectId.toUpperCase()}\u00AD `,
    ]) {
      const { requestId, email } = await submit(ANNA);
      const answer = await invokeSpelled(ANNA, spelled, 'approve', { requestId });
      assert.equal(answer.status, 200);
      await bot.idle();
      const stored = (await bot.app.workflow.store.get(requestId))!.value;
      assert.equal(stored.status, 'Pending', JSON.stringify(spelled));
      const refusals = (await bot.app.workflow.store.listAudit(requestId)).filter((e) => e.action.startsWith('refused:'));
      assert.deepEqual(
        refusals.map((e) => [e.action, e.actor.id]),
        [['refused:ownRequest', ANNA.aadObjectId]],
        'refused as own request, by the canonical id',
      );
      assert.equal((await invitationsFor(email)).length, 0);
    }
  });

  it('an approver whose id the activity spells differently still decides as that approver, recorded by the canonical id', async () => {
    const { requestId, email } = await submit(REQUESTER);
    const answer = await invokeSpelled(BEN, `{\u200C${BEN.aadObjectId.toUpperCase()}}`, 'approve', { requestId });
    assert.equal(answer.status, 200);
    await bot.idle();
    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Invited');
    assert.equal(stored.decision?.by.id, BEN.aadObjectId);
    assert.equal((await invitationsFor(email)).length, 1);
  });

  it('a requester whose id is spelled oddly is stored under the canonical id, and sees the request as their own', async () => {
    const email = uniqueGuestEmail();
    const activity = cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', { email, justification: 'Canonical requester' }) as {
      from: Record<string, unknown>;
    };
    activity.from = { ...activity.from, aadObjectId: `\uFEFF{${REQUESTER.aadObjectId.toUpperCase()}}` };
    const requestId = requestIdIn(cardOf(await bot.post(activity)));
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.requester.id, REQUESTER.aadObjectId);
    const cancel = await bot.invoke(REQUESTER, 'cancelRequest', { requestId });
    assert.equal(cancel.status, 200);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Cancelled');
  });

  it('a non-GUID aadObjectId gets the no-identity answer and changes nothing', async () => {
    const { requestId, email } = await submit(REQUESTER);
    const notGuids = [
      'not-a-guid',
      `29:${BEN.aadObjectId}`,
      BEN.aadObjectId.replace(/[0-9]/, (d) => String.fromCharCode(0xff10 + Number(d))),
      `${BEN.aadObjectId}0`,
      BEN.aadObjectId.replace('-', ' - '),
    ];
    for (const aadObjectId of notGuids) {
      const callsBefore = bot.connector.calls.length;
      const person: TeamsPerson = { aadObjectId, name: 'Nobody' };
      const submitted = await bot.post(
        cardActionActivity(person, bot.connector.url, 'submitRequest', { email: uniqueGuestEmail(), justification: 'No identity' }),
      );
      assert.equal(submitted.status, 200);
      assert.match(JSON.stringify(submitted.body), /could not tell who you are/, aadObjectId);
      const approved = await invokeSpelled(BEN, aadObjectId, 'approve', { requestId });
      assert.equal(approved.status, 200);
      assert.match(JSON.stringify(approved.body), /could not tell who you are/, aadObjectId);
      const said = await bot.post(messageActivity(person, bot.connector.url, 'my requests'));
      assert.ok(said.status < 500);
      await bot.idle();
      assert.equal((await bot.app.workflow.store.listByRequester(aadObjectId, 10)).items.length, 0, 'nothing stored');
      const replies = bot.connector.calls.slice(callsBefore);
      assert.ok(
        replies.every((c) => c.operation === 'replyToActivity' && /could not tell who you are/.test(String(c.body.text ?? ''))),
        'only the no-identity answer',
      );
    }
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await bot.app.workflow.store.listAudit(requestId)).filter((e) => e.action.startsWith('refused:')).length, 0);
    assert.equal((await invitationsFor(email)).length, 0);
  });
});
