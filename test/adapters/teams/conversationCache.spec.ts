/** The approvers' chat cache: keyed by service URL, tenant and user; bounded, least recently used out. */
import { strict as assert } from 'node:assert';
import { ConversationCache } from '../../../src/adapters/teams/conversationCache';

const SERVICE = 'https://smba.trafficmanager.net/emea/';

describe('ConversationCache', () => {
  it('keeps one chat per service URL, tenant and user (object ids compared without case)', () => {
    const cache = new ConversationCache();
    cache.set(SERVICE, 'tenant-1', 'AAAA-1', 'a:chat-1');
    assert.equal(cache.get(SERVICE, 'tenant-1', 'aaaa-1'), 'a:chat-1');
    assert.equal(cache.get(SERVICE, 'tenant-2', 'aaaa-1'), undefined);
    assert.equal(cache.get('https://smba.trafficmanager.net/amer/', 'tenant-1', 'aaaa-1'), undefined);
    cache.forget(SERVICE, 'tenant-1', 'aaaa-1');
    assert.equal(cache.get(SERVICE, 'tenant-1', 'AAAA-1'), undefined);
  });

  it('drops the least recently used chat when full', () => {
    const cache = new ConversationCache(2);
    cache.set(SERVICE, 't', 'u1', 'c1');
    cache.set(SERVICE, 't', 'u2', 'c2');
    assert.equal(cache.get(SERVICE, 't', 'u1'), 'c1'); // u1 is now the most recent
    cache.set(SERVICE, 't', 'u3', 'c3');
    assert.equal(cache.get(SERVICE, 't', 'u2'), undefined);
    assert.equal(cache.get(SERVICE, 't', 'u1'), 'c1');
    assert.equal(cache.get(SERVICE, 't', 'u3'), 'c3');
  });
});
