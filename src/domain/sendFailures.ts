/**
 * Reading a failed call to Teams (the Bot Connector) or any HTTP service, duck-typed: botbuilder's
 * and Azure's errors carry statusCode or response.status, Node's a code. Passing failures (429
 * with Retry-After, 5xx, network errors) are already retried inside botbuilder's connector client
 * (3 retries with exponential backoff); what reaches us has outlasted those.
 */

/** The HTTP status the service answered with, if it answered. */
export function failureStatus(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; response?: { status?: unknown } } | undefined;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

/**
 * The HTTP status of a refusal that retrying will not change, if it is one: a 4xx other than 429
 * (403: the user blocked the bot or it was removed; 404: the conversation is gone or unknown).
 */
export function permanentRefusalStatus(err: unknown): number | undefined {
  const status = failureStatus(err);
  return status !== undefined && status >= 400 && status < 500 && status !== 429 ? status : undefined;
}

/**
 * Whether a failed send certainly did not arrive: the service answered with an HTTP error status,
 * or nobody accepted the connection. A time-out, a reset or an abort leaves the outcome unknown.
 */
export function certainlyNotDelivered(err: unknown): boolean {
  const status = failureStatus(err);
  if (status !== undefined && status >= 400) return true;
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
