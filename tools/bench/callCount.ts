/**
 * Calls per complete flow, by step. A few flows run one at a time after the measured load, with a
 * quiet gap after each step; every storage call (counted in the bot process, tools/bench/benchBot.ts)
 * and every connector call (the fake connector's own record) is given to the step whose time window
 * it falls in:
 *   request       "request" typed → form shown, and what follows it until quiet (a pause)
 *   submit        the submitRequest invoke, until its answer
 *   fan-out       submit answered → approve clicked (the card arrived, then a pause)
 *   decide        the approve invoke, until its answer
 *   invite        approve answered → Graph answered the invitation (outbox, lease, the Graph call)
 *   tell          Graph answered → the redeem link reached the requester's chat
 *   card updates  after the link, until quiet (approval cards re-drawn, leases released, clean-up)
 * Connector calls are given to the step their content names where it does (card updates, approval
 * cards and the chats opened for them, the redeem link), by time otherwise.
 * An approximation: background work that straddles a boundary is counted where it lands, and a
 * sweep that happens to run inside a window is counted in it (the sweep runs once a minute).
 *
 * Whose flows: `requesterOf(k)` picks the requester of the k-th counted flow. flowScenario.ts
 * counts new people's first requests (their chat reference stored, their limits row created), then
 * the same people's second ones, as most flows are: by someone the bot has seen before.
 */
import type { ConnectorCall } from '../fakeConnector';
import type { RunningGraphSandbox } from '../sandbox/graph/server';
import { monotonicEpochMs } from '../sandbox/graph/state';
import type { StorageCall } from './benchBot';
import type { ChildBot } from './childBot';
import { BotDriver, sleep } from './driver';
import { runOneFlow, type FlowSetup } from './flows';

export const STEPS = ['request', 'submit', 'fan-out', 'decide', 'invite', 'tell', 'card updates'] as const;
export type Step = (typeof STEPS)[number];

export interface StepCount {
  readonly step: Step;
  /** Mean per flow. */
  readonly storage: number;
  readonly connector: number;
  /** What the calls were, per flow: "GET Requests" → 1, "connector updateActivity" → 3. */
  readonly detail: Record<string, number>;
}

export interface CallsPerFlow {
  readonly flows: number;
  readonly steps: StepCount[];
  readonly storage: number;
  /** Storage calls to the request store's tables only (what the earlier counts in README covered). */
  readonly requestStore: number;
  readonly connector: number;
}

/** The storage calls the bot has made so far, as counted in its process: in all, and by "METHOD table". */
export async function storageTotal(bot: ChildBot): Promise<{ total: number; byKind: Record<string, number> } | undefined> {
  return bot.ask<{ total: number; byKind: Record<string, number> }>({ type: 'storageCalls' });
}

/** Calls per flow by kind between two counts, largest first ("3.1 GET Requests, …"). */
export function perFlowByKind(before: Record<string, number>, after: Record<string, number>, flows: number): string {
  return Object.entries(after)
    .map(([kind, n]) => [kind, (n - (before[kind] ?? 0)) / flows] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${Math.round(n * 10) / 10} ${kind}`)
    .join(', ');
}

const QUIET_MS = 400;
const REDEEM_LINK = 'login.microsoftonline.com/redeem';

/** Connector calls say what they are: card updates, approval cards (and the chats they open), the link. */
function connectorStep(call: ConnectorCall): Step | undefined {
  if (call.operation === 'updateActivity') return 'card updates';
  if (call.operation === 'createConversation') return 'fan-out';
  const text = JSON.stringify(call.body);
  if (text.includes('"verb":"approve"')) return 'fan-out';
  if (text.includes(REDEEM_LINK)) return 'tell';
  return undefined;
}

/** The tables of the request store (requests with their cards and leases, the index; $batch = a transaction on them). */
const REQUEST_STORE = /^(?:GET|PUT|POST|DELETE|PATCH|MERGE) (?:Requests|RequestIndex|\$batch)$/;

export async function countCallsPerStep(
  setup: FlowSetup,
  bot: ChildBot,
  graph: RunningGraphSandbox,
  http: ConstructorParameters<typeof BotDriver>[2],
  flows: number,
  requesterOf: (k: number) => number,
  label = 'c',
): Promise<CallsPerFlow> {
  const { rig } = setup;
  const calls = rig.connector.calls;
  const driver = new BotDriver(bot.url, rig.connector.url, http);
  const offset = Date.now() - monotonicEpochMs();
  const sums = new Map<Step, { storage: number; connector: number; detail: Record<string, number> }>(
    STEPS.map((s) => [s, { storage: 0, connector: 0, detail: {} }]),
  );
  let counted = 0;
  for (let k = 0; k < flows; k++) {
    await sleep(QUIET_MS);
    const firstCall = calls.length;
    if (!(await bot.ask({ type: 'storageTrace', on: true })))
      throw new Error('the bot does not answer storageTrace (is it tools/bench/benchBot.js?)');
    // The flow itself, with quiet gaps so each step's background work lands in its own window.
    const trace = await runOneFlow({ ...setup, pauseMs: QUIET_MS }, driver, requesterOf(k), label).catch((err: unknown) => {
      throw new Error(`call count flow: ${err instanceof Error ? err.message : String(err)}`);
    });
    await sleep(1500);
    const recorded = (await bot.ask<{ calls: StorageCall[] }>({ type: 'storageTrace', on: false }))?.calls ?? [];
    const invitation = graph.state
      .invitations()
      .find((c) => c.outcome === 'created' && (c.body as { invitedUserEmailAddress?: unknown }).invitedUserEmailAddress === trace.email);
    const graphAnsweredAt = invitation && invitation.answeredAtMs !== null ? invitation.answeredAtMs + offset : trace.linkAt;
    const bounds: Array<[Step, number]> = [
      ['request', trace.submitSentAt],
      ['submit', trace.submittedAt],
      ['fan-out', trace.approveSentAt],
      ['decide', trace.approvedAt],
      ['invite', graphAnsweredAt],
      ['tell', trace.linkAt + 1],
      ['card updates', Infinity],
    ];
    const stepAt = (at: number): Step => (bounds.find(([, end]) => at < end) as [Step, number])[0];
    for (const call of recorded) {
      const sum = sums.get(stepAt(call.at))!;
      sum.storage++;
      const key = `${call.method} ${call.table}`;
      sum.detail[key] = (sum.detail[key] ?? 0) + 1;
    }
    for (const call of calls.slice(firstCall)) {
      const sum = sums.get(connectorStep(call) ?? stepAt(call.at))!;
      sum.connector++;
      const key = `connector ${call.operation}`;
      sum.detail[key] = (sum.detail[key] ?? 0) + 1;
    }
    counted++;
  }
  const per = (n: number) => (counted ? n / counted : NaN);
  const steps = STEPS.map((step) => {
    const sum = sums.get(step)!;
    return {
      step,
      storage: per(sum.storage),
      connector: per(sum.connector),
      detail: Object.fromEntries(Object.entries(sum.detail).map(([k, v]) => [k, per(v)])),
    };
  });
  const requestStore = steps.reduce(
    (t, s) =>
      t +
      Object.entries(s.detail)
        .filter(([k]) => REQUEST_STORE.test(k))
        .reduce((u, [, v]) => u + v, 0),
    0,
  );
  return {
    flows: counted,
    steps,
    storage: steps.reduce((t, s) => t + s.storage, 0),
    requestStore,
    connector: steps.reduce((t, s) => t + s.connector, 0),
  };
}
