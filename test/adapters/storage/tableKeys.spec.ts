/** Key encoding: pure functions, no storage needed. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ascendingTime, decodeKeyPart, descendingTime, encodeKeyPart } from '../../../src/adapters/storage/tableKeys';

describe('table keys', () => {
  it('escapes any id reversibly into characters Azure Tables accepts in keys', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (id) => {
        const key = encodeKeyPart(id);
        assert.match(key, /^[A-Za-z0-9\-_.!'()*~]+$/);
        assert.equal(decodeKeyPart(key), id);
      }),
    );
  });

  it('keeps distinct ids distinct', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => a === b || encodeKeyPart(a) !== encodeKeyPart(b)),
    );
  });

  it('refuses ids that cannot become keys', () => {
    assert.throws(() => encodeKeyPart(''), RangeError);
    assert.throws(() => encodeKeyPart('\ud800'), RangeError);
  });

  it('orders times ascending and descending as strings', () => {
    const ms = fc.integer({ min: 0, max: Date.parse('9999-12-31T23:59:59.999Z') });
    fc.assert(
      fc.property(ms, ms, (a, b) => {
        fc.pre(a < b);
        const [ia, ib] = [new Date(a).toISOString(), new Date(b).toISOString()];
        assert.ok(ascendingTime(ia, 't') < ascendingTime(ib, 't'));
        assert.ok(descendingTime(ia, 't') > descendingTime(ib, 't'));
      }),
    );
  });
});
