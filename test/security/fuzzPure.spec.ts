/**
 * Property-based fuzzing (fast-check) of the two pure gates user text passes through: form
 * validation (what may be stored and sent to Graph) and plainText (what approvers see).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { plainText, plainTextOrDash } from '../../src/cards/plainText';
import { LIMITS, pickRawInput, validateRequestInput } from '../../src/domain/validation/requestInput';

/** Characters that matter to the checks under test, mixed with anything at all. */
const TRICKY = [
  '@',
  '.',
  '-',
  '_',
  '+',
  "'",
  '"',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u200b',
  '\u202e',
  '\u2066',
  '\u0000',
  '\u001b',
  '\u0085',
  '~',
  '!',
  '#',
  '$',
  '%',
  '^',
  '&',
  '*',
  '(',
  ')',
  '=',
  '[',
  ']',
  '{',
  '}',
  '\\',
  '/',
  '|',
  ';',
  ':',
  '<',
  '>',
  '?',
  ',',
  '`',
  'a',
  'Z',
  '0',
  '9',
  'é',
  'ß',
  'İ',
  '\u0131',
  'ｈ',
  '\ud83d\ude00',
];
const FRAGMENTS = [
  'http://',
  'https://',
  'HTTPS://',
  'hTtP:',
  'ftp://',
  'mailto:',
  'javascript:',
  'data:',
  'msteams:',
  'tel:',
  'file:',
  'www.',
  'WWW.',
  '](',
  '[x](https://evil.example)',
  '![i](http://evil.example/i.png)',
  '<at>Anna</at>',
  '<a href="https://e">',
  '</at>',
  '<',
  '>',
  '&lt;',
  '&gt;',
  '${requestId}',
  '{{DATE(x)}}',
  '\\',
  '\\:',
  '\\]',
  '\\(',
  ':',
  '//',
  'h\u200bttps://',
  'http\u202e://',
  'evil.example',
  '@',
  'xn--',
  '.com',
  'contoso.com',
];
const tricky = fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 80 });
const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...TRICKY)), maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
);

const local = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '0', '.', '-', '_', "'", '+', '@', ' ', 'é'), minLength: 1, maxLength: 70 });
const domain = fc.oneof(fc.domain(), fc.string({ unit: fc.constantFrom('a', 'z', '0', '-', '.', 'X', '_'), minLength: 1, maxLength: 30 }));
const cleanEmail = fc
  .tuple(fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9._'-]{0,20}[a-zA-Z0-9])?$/), fc.domain())
  .map(([l, d]) => `${l}@${d}`);
const emailish = fc.oneof(
  { weight: 4, arbitrary: cleanEmail },
  fc.emailAddress(),
  fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`),
  fc.tuple(tricky, fc.emailAddress(), tricky).map(([a, e, b]) => `${a}${e}${b}`),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constant(`${'a'.repeat(64)}@${'b'.repeat(180)}.com`),
  fc.constant(`${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`),
);
/** Lengths near the limits are where off-by-one bugs live. */
const nearLimit = (limit: number) =>
  fc
    .tuple(fc.integer({ min: limit - 3, max: limit + 3 }), fc.constantFrom('x', ' ', '\u200b', 'é', '\ud83d\ude00'))
    .map(([n, ch]) => ` ${ch.repeat(Math.max(0, n))} `);
const field = (limit: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.lorem({ maxCount: 12 }) },
    { weight: 3, arbitrary: hostileText },
    { weight: 1, arbitrary: nearLimit(limit) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ') },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
const formData = fc.record(
  {
    email: fc.oneof({ weight: 5, arbitrary: emailish }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
    displayName: field(LIMITS.displayName),
    justification: field(LIMITS.justification),
    message: field(LIMITS.message),
    sendInvitationMessage: fc.oneof(fc.constantFrom('true', 'false', '', 'TRUE', 'yes', '1'), fc.jsonValue({ maxDepth: 1 })),
    requestId: fc.string(),
    status: fc.constantFrom('Approved', 'Invited'),
  },
  { requiredKeys: [] },
);
const anyData = fc.oneof(
  { weight: 6, arbitrary: formData },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.anything() },
);

// docs/protocol.md §3 "Inputs".
const GRAPH_REJECTED = /[\s~!#$%^&*()+=[\]{}\\/|;:"<>?,]/;
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/;

describe('fuzz: validateRequestInput(pickRawInput(anything))', () => {
  it('never throws, and whatever it accepts satisfies every contract rule', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyData, (data) => {
        const raw = pickRawInput(data);
        const checked = validateRequestInput(raw);
        if (!checked.ok) {
          assert.ok(Object.keys(checked.errors).length > 0, 'a refusal names at least one field');
          return;
        }
        accepted++;
        const v = checked.value;
        assert.equal(typeof raw.email, 'string', 'accepted only from a string');
        assert.ok(v.email.length <= 254, 'at most 254 characters');
        assert.doesNotMatch(v.email, GRAPH_REJECTED, 'no whitespace or Graph-rejected characters');
        assert.doesNotMatch(v.email, INVISIBLE);
        const parts = v.email.split('@');
        assert.equal(parts.length, 2, 'exactly one @');
        const [localPart, domainPart] = parts as [string, string];
        assert.ok(localPart.length >= 1 && localPart.length <= 64);
        assert.match(domainPart, /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/, 'domain.tld, lower-cased');
        assert.equal(v.domain, domainPart);
        assert.ok(
          v.justification.length >= 1 && v.justification.length <= LIMITS.justification && v.justification === v.justification.trim(),
        );
        assert.ok(v.displayName === undefined || (v.displayName.length >= 1 && v.displayName.length <= LIMITS.displayName));
        assert.ok(v.message === undefined || (v.message.length >= 1 && v.message.length <= LIMITS.message));
        for (const text of [v.justification, v.displayName ?? '', v.message ?? ''])
          assert.doesNotMatch(text, INVISIBLE, 'no control or bidi characters stored');
        assert.equal(v.sendInvitationMessage, raw.sendInvitationMessage === 'true');
        assert.equal(
          Object.keys(v).some((k) => k === 'status' || k === 'requestId'),
          false,
          'extra fields never pass through',
        );
      }),
      { numRuns: 6000 },
    );
    assert.ok(accepted > 100, `the generators reach the accepting path (${accepted} accepted)`);
  });
});

describe('fuzz: plainText(any string)', () => {
  it('never leaves a live markdown link, an HTML/mention tag, a scheme link or an invisible character', () => {
    fc.assert(
      fc.property(hostileText, (input) => {
        for (const out of [plainText(input), plainTextOrDash(input)]) {
          assert.equal(out.includes(']('), false, `"](" in ${JSON.stringify(out)}`);
          assert.equal(out.includes('<'), false);
          assert.equal(out.includes('>'), false);
          assert.doesNotMatch(out, /https?:\/\//i);
          assert.doesNotMatch(out, /(?:https?|ftp|mailto|javascript|data|file|tel|msteams):/i, 'no scheme survives intact');
          assert.doesNotMatch(out, /www\./i);
          assert.doesNotMatch(out, INVISIBLE);
        }
      }),
      { numRuns: 6000 },
    );
  });

  it('keeps what was typed readable: unescaping the output gives the input back (minus invisible characters)', () => {
    fc.assert(
      fc.property(hostileText, (input) => {
        const shown = plainText(input)
          .replace(/\u2060/g, '')
          .replace(/\\(.)/g, '$1')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&');
        assert.equal(shown, input.replace(new RegExp(INVISIBLE.source, 'g'), '').replace(/\u2060/g, ''));
      }),
      { numRuns: 3000 },
    );
  });
});
