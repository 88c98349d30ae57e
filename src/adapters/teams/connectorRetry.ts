/**
 * Retries Bot Connector calls that failed for reasons that pass: 429 (honouring Retry-After), 5xx
 * and network errors. 4xx such as 403 (the user blocked the bot) are final and surface at once.
 */
import type { Logger } from '../../domain/ports';

export interface ConnectorRetryOptions {
  readonly log: Logger;
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; response?: { status?: unknown } } | undefined;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (name: string) => string | undefined } } } | undefined)?.response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function isTransientConnectorError(err: unknown): boolean {
  const status = statusOf(err);
  if (status === undefined) {
    const code = (err as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|REQUEST_SEND_ERROR/.test(code);
  }
  return status === 429 || status >= 500;
}

export async function withConnectorRetry<T>(operation: string, call: () => Promise<T>, options: ConnectorRetryOptions): Promise<T> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts || !isTransientConnectorError(err)) throw err;
      const backoff = Math.min(8000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      const wait = Math.max(backoff, retryAfterMs(err) ?? 0);
      options.log.warn({ operation, attempt, status: statusOf(err), waitMs: Math.round(wait) }, 'connector call failed; retrying');
      await sleep(wait);
    }
  }
}
