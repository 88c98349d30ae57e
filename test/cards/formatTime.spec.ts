import { strict as assert } from 'node:assert';
import { formatTime } from '../../src/cards/formatTime';
import { stringsFor } from '../../src/cards/i18n';

describe('formatTime', () => {
  it('formats an ISO time for people, in UTC', () => {
    assert.equal(formatTime('2026-11-26T04:11:51.051Z'), '26 Nov 2026, 04:11 UTC');
    assert.equal(formatTime('2027-01-05T23:05:00Z'), '5 Jan 2027, 23:05 UTC');
  });
  it("formats in the reader's locale through Intl: German cards show German dates", () => {
    assert.equal(formatTime('2026-11-26T04:11:51.051Z', 'de-DE'), '26. Nov. 2026, 04:11 UTC');
    assert.equal(formatTime('2026-11-26T04:11:51.051Z', stringsFor('de-AT').locale), '26. Nov. 2026, 04:11 UTC');
    assert.equal(formatTime('2026-11-26T04:11:51.051Z', stringsFor('en-US').locale), 'Nov 26, 2026, 04:11 UTC');
    assert.equal(stringsFor('de-DE').locale, 'de-DE');
    assert.equal(stringsFor('fr-FR').locale, 'en-GB', 'an unsupported language: English words and English dates');
    assert.equal(stringsFor('x'.repeat(100)).locale, 'en-GB');
  });
  it('gives an empty string for nothing or nonsense', () => {
    assert.equal(formatTime(undefined), '');
    assert.equal(formatTime('not a date'), '');
  });
});
