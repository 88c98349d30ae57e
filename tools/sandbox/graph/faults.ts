/**
 * Failures the sandbox can be told to produce: a script applied to the next POST /invitations
 * calls in order, and random chaos from a seeded generator so that a failing run can be replayed.
 */

/**
 * One scripted answer. A step with only latencyMs delays the call and then handles it normally;
 * with a status it answers that error instead (after any latency); reset drops the connection.
 */
export interface FaultStep {
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  /** Sent as Retry-After. */
  readonly retryAfterSeconds?: number;
  /** Send Retry-After as an HTTP-date instead of delta-seconds (Graph's proxies use both forms). */
  readonly retryAfterAsDate?: boolean;
  readonly reset?: boolean;
  readonly latencyMs?: number;
}

/** Checks a script that arrived as JSON (POST /_sandbox/faults); returns a problem or the steps. */
export function parseFaultScript(value: unknown): { ok: true; steps: FaultStep[] } | { ok: false; message: string } {
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.steps) ? value.steps : undefined;
  if (!list) return { ok: false, message: 'Expected a JSON array of fault steps (or { "steps": [...] }).' };
  const steps: FaultStep[] = [];
  for (const [index, item] of list.entries()) {
    if (!isRecord(item)) return { ok: false, message: `Step ${index} is not an object.` };
    const problem = stepProblem(item);
    if (problem) return { ok: false, message: `Step ${index}: ${problem}` };
    steps.push(item);
  }
  return { ok: true, steps };
}

function stepProblem(step: Record<string, unknown>): string | undefined {
  const allowed = ['status', 'code', 'message', 'retryAfterSeconds', 'retryAfterAsDate', 'reset', 'latencyMs'];
  const unknown = Object.keys(step).find((key) => !allowed.includes(key));
  if (unknown) return `unknown property '${unknown}'.`;
  if (step.status !== undefined && (!Number.isInteger(step.status) || (step.status as number) < 400 || (step.status as number) > 599)) {
    return 'status must be an integer from 400 to 599.';
  }
  for (const key of ['retryAfterSeconds', 'latencyMs']) {
    const value = step[key];
    if (value !== undefined && (typeof value !== 'number' || value < 0 || !Number.isFinite(value))) return `${key} must be a number >= 0.`;
  }
  for (const key of ['code', 'message']) if (step[key] !== undefined && typeof step[key] !== 'string') return `${key} must be a string.`;
  for (const key of ['reset', 'retryAfterAsDate'])
    if (step[key] !== undefined && typeof step[key] !== 'boolean') return `${key} must be a boolean.`;
  if (step.status === undefined && step.reset !== true && step.latencyMs === undefined) return 'a step needs status, reset or latencyMs.';
  return undefined;
}

/** The usual Graph code for an HTTP status, for steps that name only the status. */
export function defaultErrorCode(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'InvalidAuthenticationToken';
    case 403:
      return 'Authorization_RequestDenied';
    case 404:
      return 'Request_ResourceNotFound';
    case 409:
      return 'Conflict';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalServerError';
    case 502:
      return 'BadGateway';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'GatewayTimeout';
    default:
      return status >= 500 ? 'UnknownError' : 'BadRequest';
  }
}

export function defaultErrorMessage(status: number): string {
  switch (status) {
    case 429:
      return 'Too many requests. Please try again later.';
    case 500:
      return 'An internal server error occurred while processing the request.';
    case 502:
      return 'The gateway received an invalid response from the backend.';
    case 503:
      return 'The service is temporarily unavailable. Please try again later.';
    case 504:
      return 'The gateway timed out waiting for the backend.';
    default:
      return 'The request failed.';
  }
}

export class FaultQueue {
  private steps: FaultStep[] = [];

  script(steps: readonly FaultStep[]): void {
    this.steps.push(...steps);
  }

  take(): FaultStep | undefined {
    return this.steps.shift();
  }

  get pending(): number {
    return this.steps.length;
  }

  clear(): void {
    this.steps = [];
  }
}

/** mulberry32: a small seeded generator, so that a seed replays a run (here and in npm run chaos). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random failures at a given rate, drawn from mulberry32 so that a seed replays a run. */
export class Chaos {
  private readonly random: () => number;

  constructor(
    readonly rate: number,
    readonly seed: number,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new Error(`Chaos rate must be between 0 and 1, got ${rate}`);
    this.random = mulberry32(seed);
  }

  /** The fault for the next call, or undefined when this call is left alone. */
  next(): FaultStep | undefined {
    if (this.rate === 0 || this.random() >= this.rate) return undefined;
    const kinds: FaultStep[] = [
      { status: 429, retryAfterSeconds: 1 },
      { status: 503 },
      { status: 500 },
      { reset: true },
      { latencyMs: 200 + Math.floor(this.random() * 800) },
    ];
    return kinds[Math.floor(this.random() * kinds.length)];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
