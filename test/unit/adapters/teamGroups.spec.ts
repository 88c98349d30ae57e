/**
 * GraphTeamGroups' cache of team memberships is bounded by the member ids it holds, not only by
 * the number of groups: a tenant of large teams must not keep a thousand member lists of up to
 * 100 000 ids each. (Its reads over HTTP are in test/adapters/graph; here only the cache, over a
 * counting reader.)
 */
import { strict as assert } from 'node:assert';
import { GraphTeamGroups, MAX_CACHED_MEMBER_IDS, type GroupGraph } from '../../../src/adapters/graph/teamGroups';

function countingGraph(sizes: Record<string, number>) {
  const reads: string[] = [];
  const graph: GroupGraph = {
    listTransitiveMemberIds: async (groupId) => {
      reads.push(groupId);
      return Array.from({ length: sizes[groupId] ?? 0 }, (_, i) => `${groupId}-member-${i}`);
    },
    addGroupMember: async () => 'added',
  };
  return { graph, reads };
}

const clock = { now: () => new Date('2026-12-05T12:00:00Z') };

describe('GraphTeamGroups: the membership cache', () => {
  it('keeps groups while their member ids fit the bound, and drops the least recently used beyond it', async () => {
    const third = Math.floor(MAX_CACHED_MEMBER_IDS / 3);
    const { graph, reads } = countingGraph({ a: third, b: third, c: third, d: third });
    const groups = new GraphTeamGroups({ graph, clock });
    for (const id of ['a', 'b', 'c', 'a', 'b', 'c']) await groups.memberIds(id);
    assert.deepEqual(reads, ['a', 'b', 'c'], 'three thirds fit: each read once');
    assert.equal((await groups.memberIds('d')).size, third);
    await groups.memberIds('b');
    await groups.memberIds('a');
    assert.deepEqual(reads, ['a', 'b', 'c', 'd', 'a'], 'a fourth pushed out the least recently used (a), and only it');
  });

  it('serves a group larger than the whole bound without keeping it or pushing the others out', async () => {
    const { graph, reads } = countingGraph({ small: 10, huge: MAX_CACHED_MEMBER_IDS + 1 });
    const groups = new GraphTeamGroups({ graph, clock });
    await groups.memberIds('small');
    assert.equal((await groups.memberIds('huge')).size, MAX_CACHED_MEMBER_IDS + 1);
    assert.ok((await groups.memberIds('huge')).has('huge-member-0'));
    await groups.memberIds('small');
    assert.deepEqual(reads, ['small', 'huge', 'huge'], 'the huge group is read each time; the small one stayed');
  });
});
