/**
 * Drives a bot the way Teams does — Teams-shaped activities POSTed to /api/messages — and times
 * every call by activity kind. Also the bounded worker pool the scenarios run their flows in.
 */
import { performance } from 'node:perf_hooks';
import { cardActionActivity, messageActivity, type TeamsPerson } from '../teamsActivities';
import type { BenchHttpClient, TimedAnswer } from './httpClient';
import { Samples } from './stats';

const REQUEST_ID = /GR-[0-9A-Z]{10}/;

export class BotDriver {
  readonly latency = new Samples();
  /** Sum of all call durations, for the mean number of calls in flight. */
  busyMs = 0;
  calls = 0;

  private readonly botUrls: readonly string[];

  /** Several bot URLs: bot processes behind one endpoint; `instance` picks one per call (modulo). */
  constructor(
    botUrl: string | readonly string[],
    private readonly serviceUrl: string,
    private readonly http: BenchHttpClient,
  ) {
    this.botUrls = typeof botUrl === 'string' ? [botUrl] : botUrl;
  }

  async say(kind: string, person: TeamsPerson, text: string, instance = 0): Promise<TimedAnswer & { activityId: string }> {
    const activity = messageActivity(person, this.serviceUrl, text);
    const answer = await this.send(kind, activity, instance);
    return { ...answer, activityId: activity.id as string };
  }

  /**
   * A card action, as Teams sends it: `replyToId` is the id of the message holding the card (the
   * form for submitRequest, the approval card for approve), when the caller knows it.
   */
  invoke(
    kind: string,
    person: TeamsPerson,
    verb: string,
    data: Record<string, unknown>,
    instance = 0,
    replyToId?: string,
  ): Promise<TimedAnswer> {
    const activity = cardActionActivity(person, this.serviceUrl, verb, data);
    return this.send(kind, replyToId === undefined ? activity : { ...activity, replyToId }, instance);
  }

  private async send(kind: string, activity: Record<string, unknown>, instance: number): Promise<TimedAnswer> {
    const url = this.botUrls[instance % this.botUrls.length] as string;
    const answer = await this.http.post(`${url}/api/messages`, activity);
    this.latency.add(kind, answer.ms);
    this.busyMs += answer.ms;
    this.calls++;
    if (answer.status !== 200) throw new Error(`${kind}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    return answer;
  }
}

/** The request id on the card an invoke answered with. */
export function requestIdOf(answer: TimedAnswer): string {
  const match = REQUEST_ID.exec(JSON.stringify(answer.body ?? ''));
  if (!match) throw new Error(`no request id in the answer: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return match[0];
}

export interface PoolResult {
  readonly completed: number;
  readonly failed: number;
  /** The first few failures, for the report. */
  readonly errors: string[];
  readonly wallMs: number;
}

/**
 * Runs job(0..count-1) with at most `concurrency` at once. A failing job is counted, not fatal.
 * Stops taking new jobs once `deadline` (performance.now() ms) has passed.
 */
export async function runPool(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
  deadline = Infinity,
  /** Worker k of `concurrency` starts after k/concurrency of this (BenchOptions.rampMs); 0 = all at once. */
  rampMs = 0,
): Promise<PoolResult> {
  let next = 0;
  let completed = 0;
  let failed = 0;
  const errors: string[] = [];
  const started = performance.now();
  const workers = Math.min(concurrency, count);
  const worker = async (k: number) => {
    if (rampMs > 0) await sleep((k * rampMs) / workers);
    while (next < count && performance.now() < deadline) {
      const index = next++;
      try {
        await job(index);
        completed++;
      } catch (err) {
        failed++;
        if (errors.length < 10) errors.push(`#${index}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, k) => worker(k)));
  return { completed, failed, errors, wallMs: performance.now() - started };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
