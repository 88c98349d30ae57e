/**
 * Reads the environment (docs/protocol.md §2) into a Config. Every problem is reported on its own line with
 * what a valid value looks like, so an operator fixes them all in one go.
 */
import { z } from 'zod';
import { canonicalObjectId } from '../domain/identity';
import type { BotAppType, Config } from './config';
import { describeGraphCredential } from './graphCredentialChoice';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The only interface local mode (no MicrosoftAppId, no inbound authentication) listens on. */
export const LOCAL_MODE_HOST = '127.0.0.1';

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

type Env = Record<string, string | undefined>;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) : false;
  } catch {
    return false;
  }
}

const numberIn = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} must be a whole number from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const domainList = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const items = list(v).map((d) => d.toLowerCase());
      const bad = items.filter((d) => !DOMAIN.test(d));
      if (bad.length > 0) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${name} must be comma-separated domains like contoso.com (not valid: ${bad.join(', ')})`,
        });
        return z.NEVER;
      }
      return items.map((d) => d.replace(/^\*\./, ''));
    });

const schema = z.object({
  PORT: numberIn('PORT', 1, 65535, 3978),
  HOST: z.string().optional().default(''),
  MicrosoftAppId: z.string().optional().default(''),
  MicrosoftAppPassword: z.string().optional().default(''),
  MicrosoftAppType: z
    .string()
    .optional()
    .transform((v, ctx): BotAppType => {
      const value = (v ?? '').trim() || 'MultiTenant';
      const known: BotAppType[] = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];
      const match = known.find((k) => k.toLowerCase() === value.toLowerCase());
      if (!match) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI (got "${value}")`,
        });
        return z.NEVER;
      }
      return match;
    }),
  MicrosoftAppTenantId: z.string().optional().default(''),
  TENANT_ID: z.string().optional().default(''),
  GRAPH_BASE_URL: z.string().optional().default('https://graph.microsoft.com/v1.0'),
  STORAGE_CONNECTION_STRING: z.string().optional().default(''),
  STORAGE_TABLE_PREFIX: z
    .string()
    .optional()
    .default('guestaccess')
    .refine(
      (v) => /^[A-Za-z][A-Za-z0-9]{0,29}$/.test(v),
      'STORAGE_TABLE_PREFIX must be letters and digits, starting with a letter, at most 30 characters',
    ),
  APPROVER_IDS: z.string().optional().default(''),
  APPROVER_GROUP_ID: z.string().optional().default(''),
  MEMBER_APPROVER_IDS: z.string().optional().default(''),
  MEMBER_APPROVER_GROUP_ID: z.string().optional().default(''),
  APPROVAL_CHANNEL_ID: z
    .string()
    .optional()
    .default('')
    .refine(
      (v) => v === '' || /^19:[A-Za-z0-9_\-.]+@thread\.(tacv2|skype)$/.test(v.trim()),
      "APPROVAL_CHANNEL_ID must be a Teams channel id like 19:abc123@thread.tacv2 (from the channel's link)",
    ),
  TEAMS_APP_ID: z
    .string()
    .optional()
    .default('')
    .refine(
      (v) => v.trim() === '' || /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v.trim()),
      "TEAMS_APP_ID must be the app manifest's id, a GUID like 00000000-0000-0000-0000-000000000000",
    ),
  MAX_PENDING_PER_REQUESTER: numberIn('MAX_PENDING_PER_REQUESTER', 0, 1000, 10),
  MAX_REQUESTS_PER_DAY: numberIn('MAX_REQUESTS_PER_DAY', 0, 10000, 20),
  ALLOWED_EMAIL_DOMAINS: domainList('ALLOWED_EMAIL_DOMAINS'),
  BLOCKED_EMAIL_DOMAINS: domainList('BLOCKED_EMAIL_DOMAINS'),
  ORG_DOMAINS: domainList('ORG_DOMAINS'),
  INVITE_REDIRECT_URL: z.string().optional().default('https://myapps.microsoft.com'),
  LOG_LEVEL: z
    .string()
    .optional()
    .default('info')
    .refine(
      (v) => ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(v),
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ),
  SWEEP_INTERVAL_SECONDS: numberIn('SWEEP_INTERVAL_SECONDS', 1, 86400, 10),
  INVITE_CONCURRENCY: numberIn('INVITE_CONCURRENCY', 1, 200, 10),
  INVITES_PER_SECOND: numberIn('INVITES_PER_SECOND', 1, 1000, 5),
  REQUEST_EXPIRY_DAYS: numberIn('REQUEST_EXPIRY_DAYS', 1, 365, 14),
  REMINDER_HOURS: numberIn('REMINDER_HOURS', 1, 8760, 24),
  DEFAULT_LOCALE: z
    .string()
    .optional()
    .default('en-US')
    .refine((v) => /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/.test(v), 'DEFAULT_LOCALE must be a language tag such as en-US or de-DE'),
  LEASE_SECONDS: numberIn('LEASE_SECONDS', 2, 30, 20),
});

export function loadConfig(env: Env): ConfigResult {
  const parsed = schema.safeParse(env);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  if (!parsed.success) return { ok: false, problems };
  const e = parsed.data;

  const appId = e.MicrosoftAppId.trim();
  const localMode = appId === '';
  if (!localMode) {
    if (!GUID.test(appId)) problems.push(`MicrosoftAppId must be the bot's Entra application (client) id, a GUID (got "${appId}")`);
    if (e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
      problems.push(`MicrosoftAppPassword is required for MicrosoftAppType ${e.MicrosoftAppType} (the bot registration's client secret)`);
    }
    if (e.MicrosoftAppType !== 'MultiTenant' && !GUID.test(e.MicrosoftAppTenantId)) {
      problems.push(`MicrosoftAppTenantId must be the tenant id (a GUID) for MicrosoftAppType ${e.MicrosoftAppType}`);
    }
    if (!GUID.test(e.TENANT_ID))
      problems.push("TENANT_ID is required when MicrosoftAppId is set: the organisation's Entra tenant id, a GUID");
  } else if (!isLoopbackUrl(e.GRAPH_BASE_URL)) {
    // Local mode has no inbound authentication and may skip the tenant check: against the real
    // directory that would let anyone who reaches /api/messages act as an approver.
    problems.push(
      'MicrosoftAppId is required unless GRAPH_BASE_URL points at the local Graph sandbox (http://127.0.0.1… or http://localhost…): without it /api/messages accepts unauthenticated requests',
    );
  } else if (e.TENANT_ID && !GUID.test(e.TENANT_ID)) {
    problems.push(`TENANT_ID must be a GUID (got "${e.TENANT_ID}")`);
  }

  // Held as canonical lower-case GUIDs (braces, case and invisible characters pasted along are
  // dropped), so that every later comparison is between one spelling of each person.
  const approverEntries = list(e.APPROVER_IDS);
  const approverIds = [...new Set(approverEntries.map(canonicalObjectId).filter((id): id is string => id !== undefined))];
  const approverGroupId = e.APPROVER_GROUP_ID.trim() ? (canonicalObjectId(e.APPROVER_GROUP_ID) ?? '') : '';
  if (e.APPROVER_GROUP_ID.trim() && !approverGroupId) {
    problems.push(`APPROVER_GROUP_ID must be the object id (a GUID) of an Entra group (got ${JSON.stringify(e.APPROVER_GROUP_ID.trim())})`);
  }
  if (approverEntries.length === 0 && !e.APPROVER_GROUP_ID.trim()) {
    problems.push(
      'APPROVER_IDS is required: comma-separated Entra object ids (GUIDs) of the people who may approve (or set APPROVER_GROUP_ID)',
    );
  }
  const badApprovers = approverEntries.filter((id) => canonicalObjectId(id) === undefined);
  if (badApprovers.length > 0)
    problems.push(`APPROVER_IDS must hold Entra object ids (GUIDs), not: ${badApprovers.map((id) => JSON.stringify(id)).join(', ')}`);

  // Member invitations (employee-level access): off unless one of the two is set.
  const memberApproverEntries = list(e.MEMBER_APPROVER_IDS);
  const memberApproverIds = [...new Set(memberApproverEntries.map(canonicalObjectId).filter((id): id is string => id !== undefined))];
  const badMemberApprovers = memberApproverEntries.filter((id) => canonicalObjectId(id) === undefined);
  if (badMemberApprovers.length > 0) {
    problems.push(
      `MEMBER_APPROVER_IDS must hold Entra object ids (GUIDs) of the people who may approve Member invitations, not: ${badMemberApprovers.map((id) => JSON.stringify(id)).join(', ')}`,
    );
  }
  const memberApproverGroupId = e.MEMBER_APPROVER_GROUP_ID.trim() ? (canonicalObjectId(e.MEMBER_APPROVER_GROUP_ID) ?? '') : '';
  if (e.MEMBER_APPROVER_GROUP_ID.trim() && !memberApproverGroupId) {
    problems.push(
      `MEMBER_APPROVER_GROUP_ID must be the object id (a GUID) of an Entra group (got ${JSON.stringify(e.MEMBER_APPROVER_GROUP_ID.trim())})`,
    );
  }

  let redirect: URL | undefined;
  try {
    redirect = new URL(e.INVITE_REDIRECT_URL);
  } catch {
    redirect = undefined;
  }
  if (!redirect || redirect.protocol !== 'https:')
    problems.push(`INVITE_REDIRECT_URL must be an https:// URL (got "${e.INVITE_REDIRECT_URL}")`);

  const described = describeGraphCredential(env);
  problems.push(...described.problems);
  const credential = described.kind;
  let graphUrl: URL | undefined;
  try {
    graphUrl = new URL(e.GRAPH_BASE_URL);
  } catch {
    graphUrl = undefined;
  }
  if (!graphUrl || !/^https?:$/.test(graphUrl.protocol)) {
    problems.push(`GRAPH_BASE_URL must be a URL like https://graph.microsoft.com/v1.0 (got "${e.GRAPH_BASE_URL}")`);
  } else if (credential === 'invalid') {
    // already reported above
  } else if (credential === 'none' && !isLoopbackUrl(e.GRAPH_BASE_URL)) {
    problems.push(
      'A Graph credential is required: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or a managed identity (AZURE_CLIENT_ID of a user-assigned identity, or AZURE_USE_MANAGED_IDENTITY=true). Only a loopback GRAPH_BASE_URL (the local sandbox) runs without one.',
    );
  } else if (credential !== 'none' && graphUrl.protocol !== 'https:') {
    problems.push('GRAPH_BASE_URL must use https:// when a Graph credential is configured (tokens are never sent in clear)');
  }

  // Local mode answers anyone who reaches /api/messages as whoever they claim to be: only this
  // machine may reach it.
  const host = e.HOST.trim() || (localMode ? LOCAL_MODE_HOST : '0.0.0.0');
  if (localMode && host !== LOCAL_MODE_HOST) {
    problems.push(
      `HOST must be ${LOCAL_MODE_HOST} (or unset) without MicrosoftAppId: local mode has no inbound authentication (got "${host}")`,
    );
  }

  let connectionString = e.STORAGE_CONNECTION_STRING.trim();
  if (!connectionString) {
    if (localMode) connectionString = 'UseDevelopmentStorage=true';
    else
      problems.push(
        'STORAGE_CONNECTION_STRING is required: the Azure Storage account connection string (UseDevelopmentStorage=true for Azurite)',
      );
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      port: e.PORT,
      host,
      bot: { appId, appPassword: e.MicrosoftAppPassword, appType: e.MicrosoftAppType, appTenantId: e.MicrosoftAppTenantId, localMode },
      tenantId: e.TENANT_ID.trim(),
      graph: {
        baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''),
        credential,
        inviteConcurrency: e.INVITE_CONCURRENCY,
        invitesPerSecond: e.INVITES_PER_SECOND,
      },
      storage: { connectionString, tablePrefix: e.STORAGE_TABLE_PREFIX },
      approverIds,
      approverGroupId,
      memberApproverIds,
      memberApproverGroupId,
      approvalChannelId: e.APPROVAL_CHANNEL_ID.trim(),
      teamsAppId: e.TEAMS_APP_ID.trim().toLowerCase(),
      limits: { maxPending: e.MAX_PENDING_PER_REQUESTER, maxPerDay: e.MAX_REQUESTS_PER_DAY },
      policy: { allowed: e.ALLOWED_EMAIL_DOMAINS, blocked: e.BLOCKED_EMAIL_DOMAINS, organisation: e.ORG_DOMAINS },
      inviteRedirectUrl: e.INVITE_REDIRECT_URL,
      logLevel: e.LOG_LEVEL,
      sweepIntervalMs: e.SWEEP_INTERVAL_SECONDS * 1000,
      requestExpiryMs: e.REQUEST_EXPIRY_DAYS * 86_400_000,
      reminderMs: e.REMINDER_HOURS * 3_600_000,
      defaultLocale: e.DEFAULT_LOCALE,
      leaseMs: e.LEASE_SECONDS * 1000,
    },
  };
}
