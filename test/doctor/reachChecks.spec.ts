/**
 * `npm run doctor` on reaching people: with TEAMS_APP_ID, whether the app is in the organisation's
 * catalog (Graph sandbox); with APPROVAL_CHANNEL_ID, approvers missing from the channel's team
 * (roster read from the fake connector, on the serviceUrl of a stored conversation reference).
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { TableConversationRefs } from '../../src/adapters/storage/tableConversationRefs';
import { formatResult, runDoctor, type DoctorReport } from '../../src/startup/selfCheck';
import { startFakeConnector, type FakeConnector } from '../../tools/fakeConnector';
import { testGraphBaseUrl, testStorageConnectionString } from '../support/env';

const ANNA = '22222222-2222-4222-8222-222222222222';
const BEN = '33333333-3333-4333-8333-333333333333';
const CHANNEL = '19:approvers0000000000000000000000@thread.tacv2';

const byName = (report: DoctorReport, name: string) => report.results.find((r) => r.name === name);
const output = (report: DoctorReport) => report.results.map(formatResult).join('\n');

describe('doctor: reaching people', function () {
  this.timeout(60_000);
  const prefix = `d${randomBytes(5).toString('hex')}`;
  const env = (extra: Record<string, string>) => ({
    APPROVER_IDS: `${ANNA},${BEN}`,
    STORAGE_CONNECTION_STRING: testStorageConnectionString(),
    STORAGE_TABLE_PREFIX: prefix,
    GRAPH_BASE_URL: testGraphBaseUrl(),
    ...extra,
  });

  it('TEAMS_APP_ID: fails while the app is not in the catalog, passes once it is', async () => {
    const appId = `0000${randomBytes(2).toString('hex')}-1111-4111-8111-111111111111`;
    const before = await runDoctor(env({ TEAMS_APP_ID: appId }));
    assert.equal(byName(before, 'app installation')?.status, 'fail', output(before));
    assert.match(byName(before, 'app installation')!.detail, /not.*catalog|upload the app package/i);
    const seeded = await fetch(`${testGraphBaseUrl().replace(/\/v1\.0$/, '')}/_sandbox/teamsApps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: appId }),
    });
    assert.equal(seeded.status, 201);
    const after = await runDoctor(env({ TEAMS_APP_ID: appId }));
    assert.equal(byName(after, 'app installation')?.status, 'ok', output(after));
  });

  describe('APPROVAL_CHANNEL_ID', () => {
    let connector: FakeConnector;
    before(async () => {
      connector = await startFakeConnector();
    });
    after(async () => {
      await connector?.stop();
    });

    it("is skipped before anyone used the bot, then names an approver who is not in the channel's team", async () => {
      const skipped = await runDoctor(env({ APPROVAL_CHANNEL_ID: CHANNEL }));
      assert.equal(byName(skipped, 'approvers channel')?.status, 'skipped', output(skipped));
      const refs = await TableConversationRefs.open({ connectionString: testStorageConnectionString(), tablePrefix: prefix });
      await refs.save(ANNA, { serviceUrl: connector.url, channelId: 'msteams', conversationId: 'a:anna' });
      connector.setRoster(CHANNEL, [{ id: `29:${ANNA}`, aadObjectId: ANNA }]);
      const missing = await runDoctor(env({ APPROVAL_CHANNEL_ID: CHANNEL }));
      const check = byName(missing, 'approvers channel');
      assert.equal(check?.status, 'fail', output(missing));
      assert.ok(check.detail.includes(BEN) && !check.detail.includes(ANNA), check.detail);
      connector.setRoster(CHANNEL, [
        { id: `29:${ANNA}`, aadObjectId: ANNA },
        { id: `29:${BEN}`, aadObjectId: BEN.toUpperCase() },
      ]);
      const fine = await runDoctor(env({ APPROVAL_CHANNEL_ID: CHANNEL }));
      assert.equal(byName(fine, 'approvers channel')?.status, 'ok', output(fine));
    });
  });
});
