/**
 * Reading Graph's error envelope, and saying what a refusal means in one sentence a requester or
 * an approver can act on. Graph's own messages are for developers; ours are for people.
 */

export interface GraphErrorDetail {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Graph's request-id, for support tickets and logs. */
  readonly requestId?: string;
}

/** Reads { error: { code, message, innerError: { "request-id" } } }; tolerates any other body. */
export function parseGraphError(status: number, body: unknown, requestIdHeader?: string | null): GraphErrorDetail {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const inner = error && isRecord(error.innerError) ? error.innerError : undefined;
  const code = typeof error?.code === 'string' && error.code !== '' ? error.code : `Http${status}`;
  const message = typeof error?.message === 'string' ? error.message : '';
  const requestId = typeof inner?.['request-id'] === 'string' ? inner['request-id'] : (requestIdHeader ?? undefined);
  return { status, code, message, ...(requestId ? { requestId } : {}) };
}

interface Rule {
  readonly matches: (error: GraphErrorDetail) => boolean;
  /** guest: the guest's address when the caller allows naming it. */
  readonly sentence: (guest?: string) => string;
}

const text = (error: GraphErrorDetail): string => `${error.code} ${error.message}`;

/** First match wins: the specific causes before the broad status-based ones. */
const INVITATION_RULES: readonly Rule[] = [
  {
    matches: (e) => /suspicious activity/i.test(e.message),
    sentence: () =>
      'Microsoft has blocked invitations for this organisation because of suspicious activity; an administrator must contact Microsoft support before guests can be invited.',
  },
  {
    matches: (e) =>
      /cross-tenant access|allow ?list|block ?list|deny ?list|(domain|organi[sz]ation).{0,40}(not allowed|blocked|disallowed)|(blocked|not allowed).{0,40}domain/i.test(
        e.message,
      ),
    sentence: (guest) =>
      `Your organisation's external collaboration policy (cross-tenant access settings or the list of allowed domains) does not allow inviting ${guest ?? "this guest's domain"}.`,
  },
  {
    matches: (e) => /invitations? (have been|are|is) disabled|disabled for (this )?directory/i.test(e.message),
    sentence: () =>
      'Guest invitations are turned off for this organisation; an administrator must allow them in the external collaboration settings.',
  },
  {
    matches: (e) =>
      e.status === 401 || e.status === 403 || /Authorization_RequestDenied|insufficient privileges|access denied/i.test(text(e)),
    sentence: () =>
      'The bot is not allowed to invite guests: its app registration needs the Microsoft Graph application permission User.Invite.All with admin consent.',
  },
  {
    matches: (e) =>
      /already exists.{0,80}(member|directory|organi[sz]ation)|belongs to .{0,40}(user|member)|existing (local )?user|member of (this|the) organi[sz]ation/i.test(
        e.message,
      ),
    sentence: (guest) =>
      `${guest ? `The address ${guest}` : "The guest's address"} already belongs to a user of this organisation, so it cannot be invited as a guest.`,
  },
  {
    matches: (e) => /e-?mail( address)?.{0,40}(invalid|not valid|malformed)|invalid.{0,20}e-?mail|invitedUserEmailAddress/i.test(e.message),
    sentence: (guest) => `${guest ? `The address ${guest}` : "The guest's address"} is not a valid email address.`,
  },
  {
    matches: (e) => /invitedUserSponsors|sponsor/i.test(e.message) || (e.status === 404 && /does not exist/i.test(e.message)),
    sentence: () => "The requester could not be found in the directory to be named as the guest's sponsor.",
  },
  {
    matches: (e) => /inviteRedirectUrl|redirect/i.test(e.message),
    sentence: () =>
      'The configured redirect address (INVITE_REDIRECT_URL) was refused by Microsoft Graph; an administrator must correct it.',
  },
];

/**
 * One sentence for a refused invitation. The guest's address appears only when the caller passes
 * it (messages to approvers and requesters may name it; logs should not need to).
 */
export function describeInvitationError(error: GraphErrorDetail, guestEmail?: string): string {
  const rule = INVITATION_RULES.find((candidate) => candidate.matches(error));
  if (rule) return rule.sentence(guestEmail);
  return `Microsoft Graph refused to invite ${guestEmail ?? 'the guest'} (HTTP ${error.status}, ${error.code}).`;
}

/** The same for calls that are not invitations (look-ups, group membership). */
export function describeGraphError(error: GraphErrorDetail): string {
  if (error.status === 401 || error.status === 403 || /Authorization_RequestDenied|insufficient privileges/i.test(text(error))) {
    return 'The bot lacks the Microsoft Graph permission this action needs; an administrator must grant it.';
  }
  if (error.status === 404) return 'Microsoft Graph could not find the user or group involved.';
  return `Microsoft Graph refused the request (HTTP ${error.status}, ${error.code}).`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
