/**
 * The approvers' channel roster (src/adapters/teams/teamRoster.ts): fan-outs that need it at once
 * share one read, and a read that never ends ends at its deadline. The reader stands in for the
 * Bot Connector's paged members (channelApprovals.spec.ts reads it through the fake connector).
 */
import { strict as assert } from 'node:assert';
import type { TeamsChannelAccount } from 'botbuilder';
import { TeamRoster } from '../../../src/adapters/teams/teamRoster';
import { withDeadline } from '../../../src/adapters/system/deadlines';
import type { ChatAddress } from '../../../src/domain/guestRequest';

const VIA = { serviceUrl: 'https://smba.example/', channelId: 'msteams', tenantId: 't' } as unknown as ChatAddress;
const ANNA = { id: '29:anna', aadObjectId: '22222222-2222-4222-8222-222222222222', name: 'Anna' } as TeamsChannelAccount;

describe('the team roster of the approvers’ channel', () => {
  it('fan-outs needing it at once share one read', async () => {
    let reads = 0;
    const roster = new TeamRoster(async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return [ANNA];
    });
    const resolved = await Promise.all(Array.from({ length: 5 }, () => roster.resolve('19:ch', VIA, [ANNA.aadObjectId!])));
    assert.equal(reads, 1);
    assert.ok(resolved.every((r) => r.mris[0] === '29:anna'));
  });

  it('a read that never ends ends at its deadline, and the next fan-out reads again', async () => {
    let reads = 0;
    const roster = new TeamRoster(
      () => {
        reads++;
        return new Promise<readonly TeamsChannelAccount[]>(() => undefined);
      },
      Date.now,
      60_000,
      300,
    );
    const started = Date.now();
    await assert.rejects(roster.resolve('19:ch', VIA, [ANNA.aadObjectId!]), /roster of channel 19:ch: no answer within 300 ms/);
    assert.ok(Date.now() - started < 2000);
    await assert.rejects(roster.resolve('19:ch', VIA, [ANNA.aadObjectId!]), /no answer within 300 ms/);
    assert.equal(reads, 2);
  });

  it('a fan-out with a shorter deadline of its own stops waiting at it', async () => {
    const roster = new TeamRoster(() => new Promise<readonly TeamsChannelAccount[]>(() => undefined), Date.now, 60_000, 5000);
    await assert.rejects(
      withDeadline(200, 'approval fan-out', () => roster.resolve('19:ch', VIA, [ANNA.aadObjectId!])),
      /approval fan-out: no answer within 200 ms/,
    );
  });
});
