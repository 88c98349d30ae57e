import { strict as assert } from 'node:assert';
import { RecentMap } from '../../../src/adapters/system/recentMap';
import { RecentVersions } from '../../../src/adapters/storage/recentVersions';
import type { ApprovalMessage, GuestRequest } from '../../../src/domain/guestRequest';

describe('RecentMap', () => {
  it('drops the least recently used beyond its capacity', () => {
    const map = new RecentMap<number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.get('a');
    map.set('c', 3);
    assert.deepEqual([map.get('a'), map.get('b'), map.get('c')], [1, undefined, 3]);
  });

  it('with a weight limit, drops the least recently used until what it holds weighs no more', () => {
    const map = new RecentMap<string[]>(100, { maxWeight: 5, weigh: (v) => v.length });
    map.set('a', ['1', '2']);
    map.set('b', ['1', '2']);
    map.set('c', ['1', '2']); // 6 > 5: "a" goes
    assert.equal(map.get('a'), undefined);
    map.set('b', ['1']); // replaced: its old weight is given back (b 1 + c 2 = 3)
    map.set('d', ['1', '2']);
    assert.deepEqual([map.get('b'), map.get('c'), map.get('d')], [['1'], ['1', '2'], ['1', '2']]);
    map.set('huge', ['1', '2', '3', '4', '5', '6']); // heavier than the limit alone: not kept
    assert.equal(map.get('huge'), undefined);
    assert.deepEqual([map.get('b'), map.get('c'), map.get('d')], [['1'], ['1', '2'], ['1', '2']], 'and nothing else pushed out for it');
    map.set('c', ['1', '2', '3', '4', '5', '6']); // a key given a value too heavy to keep: the old one goes too
    assert.equal(map.get('c'), undefined);
  });

  it('keys objects by identity', () => {
    const key = {};
    const map = new RecentMap<number, object>(1);
    map.set(key, 1);
    assert.equal(map.get({}), undefined);
    assert.equal(map.get(key), 1);
  });
});

describe('RecentVersions', () => {
  it('holds at most 10 000 approval cards in all (a large approver group), not 1 000 requests of them', () => {
    const versions = new RecentVersions();
    const cards = (n: number) => Array.from({ length: n }, (_, i) => ({ approverId: `a${i}` }) as unknown as ApprovalMessage);
    const request = (id: string) => ({ id, status: 'Pending' }) as unknown as GuestRequest;
    for (let i = 0; i < 60; i++) versions.remember({ value: request(`r${i}`), etag: 'e', approvalMessages: cards(200) });
    const held = Array.from({ length: 60 }, (_, i) => versions.get(`r${i}`)).filter(Boolean);
    assert.equal(held.length, 50, '50 requests × 200 cards');
    assert.equal(versions.get('r0'), undefined, 'the oldest went first');
    assert.ok(versions.get('r59'));
  });
});
