/**
 * Deadlines for outbound calls, and the cancellation that carries them down to the HTTP pipelines.
 *
 * `withDeadline` runs work with an AbortSignal in scope (AsyncLocalStorage, so the adapters need no
 * argument): the storage and Bot Connector pipelines attach the signal in scope to every HTTP
 * request they send, so when a deadline passes (or an invoke's budget runs out) the requests in
 * flight are aborted and no new one is sent; the caller is answered at the deadline in any case.
 * Scopes nest: an inner deadline never outlives an outer one. Background work does not belong to
 * the turn that started it (see `detached`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** An outbound call or a piece of work did not finish in time. A passing failure: try again later. */
export class DeadlineExceeded extends Error {
  readonly code = 'DeadlineExceeded';

  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

const scope = new AsyncLocalStorage<AbortSignal>();

/** The signal of the innermost deadline around the caller, if any. */
export function currentSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** `own` combined with the signal in scope: aborted when either is. */
export function withScopeSignal(own: AbortSignal | undefined): AbortSignal | undefined {
  const outer = scope.getStore();
  if (!outer) return own;
  if (!own) return outer;
  return AbortSignal.any([outer, own]);
}

/** Runs `work` outside any deadline in scope (background work outlives the turn that starts it). */
export function detached<T>(work: () => T): T {
  return scope.exit(work);
}

/**
 * Runs `work` with a deadline of `ms`: rejects with DeadlineExceeded when it passes, and aborts the
 * outbound calls `work` still has in flight (and refuses those it starts afterwards).
 */
export async function withDeadline<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signal = withScopeSignal(controller.signal)!;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceeded(what, ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  const running = scope.run(signal, work);
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
    // Whatever `work` does after the deadline is nobody's answer any more.
    running.catch(() => undefined);
  }
}

/** Whether an error means "did not answer in time" (ours, or an abort caused by one of ours). */
export function isDeadlineError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | undefined;
  return e?.name === 'DeadlineExceeded' || e?.code === 'DeadlineExceeded';
}

/**
 * `work` as one request per key shared by every caller that asks while it is in flight (a token
 * refresh, a roster read: a hung one must not be started again by each call behind it), within
 * `ms` of its own, outside the deadline of whoever asked first (whose `arg` it runs with); each
 * caller still stops waiting at its own deadline. Once it has settled, the next call starts a new one.
 */
export function sharedWithinBy<A, T>(
  ms: number,
  what: (key: string) => string,
  work: (arg: A, key: string) => Promise<T>,
): (key: string, arg: A) => Promise<T> {
  const inFlight = new Map<string, Promise<T>>();
  return (key, arg) => {
    let shared = inFlight.get(key);
    if (!shared) {
      shared = detached(() => withDeadline(ms, what(key), () => work(arg, key))).finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    return untilAborted(shared, currentSignal());
  };
}

/** sharedWithinBy with one key and no argument. */
export function sharedWithin<T>(ms: number, what: string, work: () => Promise<T>): () => Promise<T> {
  const shared = sharedWithinBy<undefined, T>(
    ms,
    () => what,
    () => work(),
  );
  return () => shared('', undefined);
}

/** `work`, or the signal's reason as soon as it is aborted (`work` goes on for whoever else waits). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
