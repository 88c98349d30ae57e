/**
 * Structured JSON logs (pino). Secrets and redeem links must never reach a log line; the paths
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
