/** Tiny JSON-over-HTTP helpers for the sandbox tests (real HTTP on loopback, no mocks). */
import assert from 'node:assert/strict';

export interface JsonAnswer {
  readonly status: number;
  readonly headers: Headers;
  // Tests read arbitrary JSON shapes; `any` keeps the assertions readable.
  readonly body: any;
}

export async function request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export const get = (url: string, headers?: Record<string, string>): Promise<JsonAnswer> => request('GET', url, undefined, headers);
export const post = (url: string, body?: unknown, headers?: Record<string, string>): Promise<JsonAnswer> =>
  request('POST', url, body, headers);

/** A valid invitation body; override what a test is about. */
export function invitation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    invitedUserEmailAddress: 'alice@fabrikam.com',
    inviteRedirectUrl: 'https://myapps.microsoft.com',
    sendInvitationMessage: false,
    invitedUserType: 'Guest',
    ...overrides,
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Graph's error envelope: code, message, and innerError with the request-id of the header. */
export function assertGraphError(answer: JsonAnswer, code: string, message: RegExp): void {
  const error = answer.body?.error;
  assert.ok(error, `expected a Graph error body, got ${JSON.stringify(answer.body)}`);
  assert.equal(error.code, code);
  assert.match(error.message, message);
  assert.match(error.innerError['request-id'], UUID);
  assert.equal(error.innerError['request-id'], answer.headers.get('request-id'));
  assert.match(error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
}
