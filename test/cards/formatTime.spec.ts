import { strict as assert } from 'node:assert';
import { formatTime } from '../../src/cards/formatTime';

describe('formatTime', () => {
  it('formats an ISO time for people, in UTC', () => {
    assert.equal(formatTime('2026-11-26T04:11:51.051Z'), '26 Nov 2026, 04:11 UTC');
    assert.equal(formatTime('2027-01-05T23:05:00Z'), '5 Jan 2027, 23:05 UTC');
  });
  it('gives an empty string for nothing or nonsense', () => {
    assert.equal(formatTime(undefined), '');
    assert.equal(formatTime('not a date'), '');
  });
});
