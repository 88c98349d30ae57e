/**
 * Structured JSON logs (pino); `npm run dev` prints them as readable lines (prettyDestination). Secrets and redeem links must never reach a log line; the paths
 * below are censored even if a careless call passes them.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'token',
  'accessToken',
  'authorization',
  'headers.authorization',
  'password',
  'clientSecret',
  'connectionString',
  'redeemUrl',
  'inviteRedeemUrl',
  '*.token',
  '*.authorization',
  '*.redeemUrl',
  '*.inviteRedeemUrl',
  '*.connectionString',
  '*.password',
  '*.clientSecret',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'guest-access-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** pino's numeric levels, as words. */
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Not repeated on every line: the time, level and message lead it; the service is always this one. */
const LEADING_KEYS = new Set(['time', 'level', 'msg', 'service', 'pid', 'hostname']);

/**
 * One readable line from one of pino's JSON lines: "01:42:37.123 WARN  message key=value …".
 * For people watching `npm run dev`; production keeps JSON (log collectors parse it). It formats
 * what pino already serialised, so the redaction above has been applied.
 */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = (
    typeof entry.level === 'number' ? (LEVEL_NAMES[entry.level] ?? String(entry.level)) : typeof entry.level === 'string' ? entry.level : ''
  ).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key, value]) => !LEADING_KEYS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`);
  return [time, level, typeof entry.msg === 'string' ? entry.msg : '', ...fields].filter((part) => part !== '').join(' ');
}

/** A pino destination that writes each line through prettyLine (`npm run dev` only). */
export function prettyDestination(out: { write(text: string): unknown }): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) out.write(`${prettyLine(line)}\n`);
    },
  };
}
