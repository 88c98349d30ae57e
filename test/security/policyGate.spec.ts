/**
 * The domain policy holds where Graph is called: every address Graph would receive (the guest and
 * the cc) is checked right before POST /invitations, with the policy in force at that moment, and
 * the cc is checked at submit next to its own field. Attacks go in through /api/messages; the Graph
 * sandbox's invitation log proves that nothing reached Graph.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { startFakeConnector, type FakeConnector } from '../../tools/fakeConnector';
import { transition } from '../../src/domain/lifecycle/transitions';
import { checkDomainPolicy, type DomainPolicy } from '../../src/domain/policy/domainPolicy';
import { checkInvitationAddresses } from '../../src/domain/policy/invitationGate';
import { checkEmail } from '../../src/domain/validation/email';
import { APPROVERS, BotHarness, useBotHarness, cardOf, cardText, REQUESTER, requestIdIn } from '../support/botHarness';
import { invitationsFor, scriptGraphFaults, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const [ANNA, BEN] = APPROVERS as [TeamsPerson, TeamsPerson];
/** Card and message texts escape markdown with backslashes. */
const unescape = (text: string) => text.replace(/\\/g, '');

/** The text of the error TextBlock right after the input `id` (where the form puts that field's problem), or undefined. */
function errorNextTo(card: unknown, id: string): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        const next = node[index + 1] as { type?: string; color?: string; text?: string } | undefined;
        if ((item as { id?: unknown })?.id === id && next?.type === 'TextBlock' && next.color === 'Attention')
          found = unescape(next.text ?? '');
        walk(item);
      });
    } else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
}

async function storedCount(bot: BotHarness, person: TeamsPerson): Promise<number> {
  return (await bot.app.workflow.store.listByRequester(person.aadObjectId, 1000)).items.length;
}

describe('policy gate: the cc address at submit', () => {
  const bot = useBotHarness({ env: { BLOCKED_EMAIL_DOMAINS: 'blocked.example', ORG_DOMAINS: 'contoso.example' } });

  it('a cc in a blocked domain is refused next to the ccEmail field, with every other problem, and nothing is stored or sent', async () => {
    const before = { stored: await storedCount(bot, REQUESTER), calls: bot.connector.calls.length };
    const email = uniqueGuestEmail();
    // Two problems at once: the blocked cc (any spelling of the domain) and a missing justification.
    const both = await bot.invoke(REQUESTER, 'submitRequest', { email, justification: '', ccEmail: 'Boss@EU.Blocked.Example' });
    assert.equal(both.status, 200);
    const form = cardOf(both);
    assert.match(errorNextTo(form, 'ccEmail') ?? '', /copy can't go to Boss@eu\.blocked\.example.*blocked by the organisation's policy/);
    assert.match(errorNextTo(form, 'justification') ?? '', /Say why/);
    assert.equal(errorNextTo(form, 'email'), undefined, "the guest's own address is fine");
    assert.doesNotMatch(cardText(form), /GR-[0-9A-Z]{10}/);

    // The only problem left: still refused, still next to the field.
    const ccOnly = await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Partner', ccEmail: 'boss@blocked.example' });
    assert.match(errorNextTo(cardOf(ccOnly), 'ccEmail') ?? '', /copy can't go to boss@blocked\.example/);
    assert.doesNotMatch(cardText(cardOf(ccOnly)), /GR-[0-9A-Z]{10}/);

    // A cc inside the organisation is not a guest address either.
    const colleague = await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Partner', ccEmail: 'me@contoso.example' });
    assert.match(errorNextTo(cardOf(colleague), 'ccEmail') ?? '', /copy can't go to me@contoso\.example.*belongs to our organisation/);

    await bot.idle();
    assert.equal(await storedCount(bot, REQUESTER), before.stored, 'nothing stored');
    assert.deepEqual(
      bot.connector.calls.slice(before.calls).filter((c) => c.operation !== 'replyToActivity'),
      [],
      'no approval cards',
    );
    assert.equal((await invitationsFor(email)).length, 0, 'nothing sent to Graph');
  });

  it('a blocked guest and a blocked cc: each problem next to its own field', async () => {
    const answer = await bot.invoke(REQUESTER, 'submitRequest', {
      email: 'guest@blocked.example',
      justification: 'Partner',
      ccEmail: 'boss@blocked.example',
    });
    const form = cardOf(answer);
    assert.match(errorNextTo(form, 'email') ?? '', /Guests from blocked\.example can't be invited/);
    assert.match(errorNextTo(form, 'ccEmail') ?? '', /copy can't go to boss@blocked\.example/);
    assert.equal((await invitationsFor('guest@blocked.example')).length, 0);
  });
});

describe('policy gate: the policy in force when Graph is called', function () {
  this.timeout(30_000);
  let connector: FakeConnector;
  before(async () => {
    connector = await startFakeConnector();
  });
  after(async () => {
    await connector.stop();
  });

  const since = (from: number, conversationId: string) =>
    connector
      .messagesIn(conversationId)
      .filter((c) => connector.calls.indexOf(c) >= from)
      .map((c) => unescape(`${cardText(cardOf(c))} ${String(c.body.text ?? '')}`));

  it('approved under the old policy, invited after a restart under one that blocks the cc: Failed, both told, audited, no Graph call', async () => {
    const email = uniqueGuestEmail();
    const cc = 'assistant@later-blocked.example';
    const first = await BotHarness.start({ connector });
    const requestId = requestIdIn(cardOf(await first.invoke(REQUESTER, 'submitRequest', { email, justification: 'Auditor', ccEmail: cc })));
    await first.idle();
    // Approved, and the process stops before it calls Graph (the outbox keeps the request Approved).
    const store = first.app.workflow.store;
    const current = (await store.get(requestId))!;
    const at = new Date();
    await store.update(
      transition(current.value, 'Approved', at, {
        decision: { by: { id: ANNA.aadObjectId, name: ANNA.name }, at: at.toISOString(), outcome: 'Approved' },
      }),
      current.etag,
    );
    await first.stop();

    const before = connector.calls.length;
    const second = await BotHarness.start({
      connector,
      tablePrefix: first.tablePrefix,
      env: { BLOCKED_EMAIL_DOMAINS: 'later-blocked.example' },
    });
    try {
      await second.idle(); // the start-up sweep runs the outbox
      const stored = (await second.app.workflow.store.get(requestId))!.value;
      assert.equal(stored.status, 'Failed');
      assert.equal(stored.failure?.code, 'policy.blocked');
      assert.equal(stored.failure?.problem?.params?.recipient, 'ccEmail');
      assert.ok(stored.requesterNotifiedAt, 'the requester was told');
      assert.equal((await invitationsFor(email)).length, 0, 'Graph never received the invitation');

      const reason = /copy can't go to assistant@later-blocked\.example: the domain later-blocked\.example is blocked/;
      assert.ok(
        since(before, `a:personal-${REQUESTER.aadObjectId}`).some((t) => reason.test(t)),
        'the requester is told why, naming the address',
      );
      assert.ok(
        since(before, connector.conversationWith(ANNA.aadObjectId)).some((t) => t.includes(email) && /failed/.test(t) && reason.test(t)),
        'the deciding approver is told why',
      );
      assert.ok(
        !since(before, connector.conversationWith(BEN.aadObjectId)).some((t) => /failed:/.test(t)),
        'only the decider gets the failure message',
      );

      const trail = await second.app.workflow.store.listAudit(requestId);
      assert.ok(
        trail.some((e) => e.action === 'refused:policy' && e.detail === 'policy.blocked ccEmail' && e.from === 'Approved'),
        'the refusal is audited, naming the address',
      );
      assert.ok(trail.some((e) => e.action === 'status:Failed' && e.detail === 'policy.blocked'));
    } finally {
      await second.stop();
    }
  });

  it('a request whose cc became blocked after submit cannot be approved: the approver sees why on the card, nothing changes', async () => {
    const email = uniqueGuestEmail();
    const first = await BotHarness.start({ connector });
    const requestId = requestIdIn(
      cardOf(await first.invoke(REQUESTER, 'submitRequest', { email, justification: 'Auditor', ccEmail: 'pa@soon-blocked.example' })),
    );
    await first.idle();
    await first.stop();
    const second = await BotHarness.start({
      connector,
      tablePrefix: first.tablePrefix,
      env: { BLOCKED_EMAIL_DOMAINS: 'soon-blocked.example' },
    });
    try {
      const answer = await second.invoke(ANNA, 'approve', { requestId });
      assert.match(
        unescape(cardText(cardOf(answer))),
        /copy can't go to pa@soon-blocked\.example: the domain soon-blocked\.example is blocked/,
      );
      await second.idle();
      assert.equal((await second.app.workflow.store.get(requestId))!.value.status, 'Pending', 'the request is not approved');
      const trail = await second.app.workflow.store.listAudit(requestId);
      assert.ok(
        trail.some((e) => e.action === 'refused:policy' && e.detail === 'policy.blocked'),
        'the refusal is audited',
      );
      assert.equal((await invitationsFor(email)).length, 0, 'nothing sent to Graph');
    } finally {
      await second.stop();
    }
  });

  it('a Failed request retried after its domain was blocked: Failed again with the policy reason, no Graph call', async () => {
    const email = uniqueGuestEmail('retry-blocked.example');
    const first = await BotHarness.start({ connector });
    let requestId: string;
    try {
      requestId = requestIdIn(cardOf(await first.invoke(REQUESTER, 'submitRequest', { email, justification: 'Supplier' })));
      await first.idle();
      await scriptGraphFaults([{ status: 400, code: 'BadRequest', message: 'The invited user address is not accepted.' }]);
      await first.invoke(ANNA, 'approve', { requestId });
      await first.idle();
      assert.equal((await first.app.workflow.store.get(requestId))!.value.status, 'Failed');
      assert.equal((await invitationsFor(email)).length, 1, 'the refused attempt');
    } finally {
      await first.stop();
    }

    const before = connector.calls.length;
    const second = await BotHarness.start({
      connector,
      tablePrefix: first.tablePrefix,
      env: { BLOCKED_EMAIL_DOMAINS: 'retry-blocked.example' },
    });
    try {
      const retried = await second.invoke(ANNA, 'retryInvitation', { requestId });
      assert.equal(retried.status, 200);
      await second.idle();
      const stored = (await second.app.workflow.store.get(requestId))!.value;
      assert.equal(stored.status, 'Failed');
      assert.equal(stored.failure?.code, 'policy.blocked');
      assert.equal(stored.failure?.problem?.params?.recipient, 'email');
      assert.equal((await invitationsFor(email)).length, 1, 'no second call to Graph');
      const reason = /Guests from retry-blocked\.example can't be invited: the domain is blocked/;
      assert.ok(
        since(before, `a:personal-${REQUESTER.aadObjectId}`).some((t) => reason.test(t)),
        'the requester is told why',
      );
      assert.ok(
        since(before, connector.conversationWith(ANNA.aadObjectId)).some((t) => t.includes(email) && reason.test(t)),
        'the deciding approver is told why',
      );
      const trail = await second.app.workflow.store.listAudit(requestId);
      assert.ok(trail.some((e) => e.action === 'refused:policy' && e.detail === 'policy.blocked email'));
    } finally {
      await second.stop();
    }
  });
});

describe('policy gate (pure): refuses whatever the domain policy refuses, however the domain is spelled', () => {
  const BASES = ['blocked.example', 'fabrikam.com', 'contoso.com', 'xn--bcher-kva.example', 'a.io'];
  /** Letters that look like Latin ones (Cyrillic, Greek, fullwidth, dotless i, Kelvin sign), and invisible ones. */
  const LOOKALIKE: Record<string, string[]> = {
    a: ['\u0430', '\uFF41', '\u0251'],
    e: ['\u0435', '\uFF45'],
    o: ['\u043E', '\u03BF', '\uFF4F'],
    c: ['\u0441', '\u03F2'],
    i: ['\u0131', '\u0456'],
    k: ['\u212A'],
    m: ['\uFF4D'],
    '.': ['\u3002', '\uFF0E', '\u2024'],
  };
  const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'];

  const spelling = (base: string) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
        fc.constantFrom('', 'eu.', 'a.b.', 'x-1.'),
        fc.constantFrom('', '', '.', '..'),
        fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { nil: undefined }),
      )
      .map(([upper, sub, trailing, swap, invisible]) => {
        let chars = [...base].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch));
        if (swap) {
          const candidates = chars.map((ch, i) => [ch.toLowerCase(), i] as const).filter(([ch]) => LOOKALIKE[ch]);
          const pick = candidates[swap[0] % Math.max(candidates.length, 1)];
          if (pick) chars[pick[1]] = LOOKALIKE[pick[0]]![swap[1] % LOOKALIKE[pick[0]]!.length]!;
        }
        if (invisible)
          chars = [...chars.slice(0, invisible[0] % (chars.length + 1)), invisible[1], ...chars.slice(invisible[0] % (chars.length + 1))];
        return `${sub}${chars.join('')}${trailing}`;
      });

  const policy = fc.record({
    allowed: fc.subarray(BASES),
    blocked: fc.subarray(BASES),
    organisation: fc.subarray(BASES, { maxLength: 1 }),
  });
  const domain = fc.oneof(fc.constantFrom(...BASES).chain(spelling), fc.domain());
  const local = fc.constantFrom('guest', 'Anna.Smith', 'x');
  const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

  it('for both addresses: refused when checkDomainPolicy refuses, and passed only when each address is plain and allowed', () => {
    fc.assert(
      fc.property(
        policy,
        local,
        domain,
        fc.option(fc.tuple(local, domain), { nil: undefined }),
        (p: DomainPolicy, guestLocal, guestDomain, cc) => {
          const guest = { email: `${guestLocal}@${guestDomain}`, ccEmail: cc ? `${cc[0]}@${cc[1]}` : undefined };
          const gate = checkInvitationAddresses(p, guest);
          const refusedFields = gate.ok ? [] : gate.refusals.map((r) => r.field);
          for (const [field, address] of [
            ['email', guest.email],
            ['ccEmail', guest.ccEmail],
          ] as const) {
            if (address === undefined) continue;
            if (!checkDomainPolicy(p, domainOf(address)).ok)
              assert.ok(refusedFields.includes(field), `${field} ${JSON.stringify(address)} must be refused`);
            if (!refusedFields.includes(field)) {
              const parsed = checkEmail(address);
              assert.ok(parsed.ok && checkDomainPolicy(p, parsed.domain).ok, `${field} ${JSON.stringify(address)} passed the gate`);
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('no spelling of a blocked domain (case, subdomain, trailing dot, look-alike or invisible letters) gets through, as guest or cc', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BASES).chain((blocked) => spelling(blocked).map((spelled) => [blocked, spelled] as const)),
        fc.boolean(),
        ([blocked, spelled], asCc) => {
          const p: DomainPolicy = { allowed: [], blocked: [blocked], organisation: [] };
          const address = `guest@${spelled}`;
          const gate = checkInvitationAddresses(p, asCc ? { email: 'fine@allowed.example', ccEmail: address } : { email: address });
          assert.ok(!gate.ok, `${JSON.stringify(address)} must be refused`);
          assert.equal(gate.refusals[0]!.field, asCc ? 'ccEmail' : 'email');
          assert.match(gate.refusals[0]!.problem.code, /^policy\.(blocked|unchecked)$/);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
