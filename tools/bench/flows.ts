/**
 * One complete flow as people do it (shared by the flow, capacity and soak scenarios): the
 * requester types "request" and submits the form; once the approval card has reached the
 * approver's chat, the approver clicks Approve; the flow is complete when the redeem link has
 * reached the requester's chat. With several bot processes, the approve goes to the next one
 * (Teams sends each activity to whichever instance the load balancer picks).
 *
 * As Teams sends them: the submit carries the form's one-time token (from the form card's
 * Action.Execute data) and `replyToId` = the id of the message holding the form (the connector's
 * answer to the bot's reply), so the requester's live status card is exercised and its updates
 * counted; the approve carries `replyToId` = the approval card's message id.
 *
 * The echo replay sends the echo bot the same three activities with the same pauses each flow saw,
 * so both bots see the same arrival pattern.
 */
import type { ConnectorCall } from '../fakeConnector';
import type { ConnectorIndex } from './connectorIndex';
import { requestIdOf, sleep, type BotDriver } from './driver';
import { personalChat, requester, type Rig } from './rig';
import type { TeamsPerson } from '../teamsActivities';

export interface FlowTrace {
  email: string;
  requestId: string;
  /** From the submit answer to the approval card in the approver's chat. */
  cardWaitMs: number;
  /** From the approve answer to the redeem link in the requester's chat. */
  linkWaitMs: number;
  submitSentAt: number;
  submittedAt: number;
  approveSentAt: number;
  approvedAt: number;
  cardAt: number;
  linkAt: number;
}

export interface FlowSetup {
  readonly rig: Rig;
  readonly index: ConnectorIndex;
  readonly linkTimeoutMs: number;
  /** Makes guest addresses unique per run. */
  readonly tag: string;
  /** Bot processes behind the driver (1 unless two share the storage account). */
  readonly instances?: number;
  /** A pause after the form and after the approval card (the per-step call count lets background work finish). */
  readonly pauseMs?: number;
  /**
   * The people who request, when they are a pool (flow n is requester n mod the pool): employees
   * ask for guests more than once, so most flows are by someone the bot has seen before. Absent:
   * every flow by a new person.
   */
  readonly requesterPool?: number;
}

/** Who requests in flow `n`. */
export function requesterOfFlow(n: number, pool: number | undefined): TeamsPerson {
  return requester(pool ? n % pool : n);
}

/** Runs flow number `n` (requester n, approver n mod approvers); resolves with its trace. */
export async function runOneFlow(setup: FlowSetup, d: BotDriver, n: number, label: string): Promise<FlowTrace> {
  const { rig, index } = setup;
  const person = requesterOfFlow(n, setup.requesterPool);
  const approver = rig.approvers[n % rig.approvers.length]!;
  const email = `bench${setup.tag}${label}${n}@fabrikam.com`;
  const instances = setup.instances ?? 1;
  const said = await d.say('request', person, 'request', n);
  const form = await index.form(said.activityId, 30_000);
  if (setup.pauseMs) await sleep(setup.pauseMs);
  const submitted = await d.invoke(
    'submitRequest',
    person,
    'submitRequest',
    {
      email,
      displayName: `Guest ${n}`,
      justification: 'Benchmark: works with us on the launch',
      message: 'Welcome aboard!',
      sendInvitationMessage: 'false',
      submissionId: submissionIdOf(form),
    },
    n,
    form.resultId,
  );
  const requestId = requestIdOf(submitted);
  const card = await index.wait('approvalCard', index.approverChat(approver.aadObjectId), requestId, 30_000);
  const submittedAt = submitted.sentAt + submitted.ms;
  if (setup.pauseMs) await sleep(setup.pauseMs);
  const approved = await d.invoke('approve', approver, 'approve', { requestId }, instances > 1 ? n + 1 : n, card.resultId);
  if (!JSON.stringify(approved.body).includes('Approved by'))
    throw new Error(`approve not confirmed: ${JSON.stringify(approved.body).slice(0, 200)}`);
  const approvedAt = approved.sentAt + approved.ms;
  const link = await index.wait('redeemLink', personalChat(person), requestId, setup.linkTimeoutMs);
  return {
    email,
    requestId,
    cardWaitMs: Math.max(0, card.at - submittedAt),
    linkWaitMs: Math.max(0, link.at - approvedAt),
    submitSentAt: submitted.sentAt,
    submittedAt,
    approveSentAt: approved.sentAt,
    approvedAt,
    cardAt: card.at,
    linkAt: link.at,
  };
}

/** The one-time token in the form card's submit action (requestFormView.ts puts it in its data). */
function submissionIdOf(form: ConnectorCall): string {
  const match = /"submissionId":"([^"]+)"/.exec(JSON.stringify(form.body));
  if (!match) throw new Error('the request form carries no submissionId');
  return match[1]!;
}

/** The echo bot's version of flow `n`: same activities (same fields), same pauses (those of `trace`, if any). */
export async function runEchoFlow(
  rig: Rig,
  d: BotDriver,
  n: number,
  trace: Pick<FlowTrace, 'cardWaitMs' | 'linkWaitMs'> | undefined,
  requesterPool?: number,
): Promise<void> {
  const person = requesterOfFlow(n, requesterPool);
  const approver = rig.approvers[n % rig.approvers.length]!;
  await d.say('request', person, 'request');
  await d.invoke(
    'submitRequest',
    person,
    'submitRequest',
    { email: `echo${n}@fabrikam.com`, displayName: `Guest ${n}`, justification: 'Benchmark', submissionId: `echo-form-${n}` },
    0,
    `echo-form-message-${n}`,
  );
  await sleep(trace?.cardWaitMs ?? 0);
  await d.invoke('approve', approver, 'approve', { requestId: 'GR-0000000000' }, 0, `echo-card-message-${n}`);
  await sleep(trace?.linkWaitMs ?? 0);
}
