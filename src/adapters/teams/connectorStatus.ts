/**
 * Reading Bot Connector failures. Passing failures (429 with Retry-After, 5xx, network errors) are
 * already retried inside botbuilder's connector client (the Azure core pipeline: 3 retries with
 * exponential backoff); what reaches us has outlasted those, and the sweep tries again later.
 * A 4xx other than 429 is a refusal for good (403: the user blocked the bot; 404: chat gone).
 */

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; response?: { status?: unknown } } | undefined;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

/** The HTTP status of a refusal that retrying will not change (4xx other than 429), if it is one. */
export function permanentConnectorStatus(err: unknown): number | undefined {
  const status = statusOf(err);
  return status !== undefined && status >= 400 && status < 500 && status !== 429 ? status : undefined;
}
