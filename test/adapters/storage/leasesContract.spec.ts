/** The Leases contract against TableLeases on Azurite (the memory leases run it in test/unit). */
import { TableLeases } from '../../../src/adapters/storage/tableLeases';
import { leasesContract } from '../../support/contracts/leasesContract';
import { testStorageConnectionString } from '../../support/env';
import { ManualClock, uniquePrefix } from './storageTestKit';

describe('Leases contract: TableLeases (Azurite)', () => {
  leasesContract(async () => {
    const clock = new ManualClock();
    const options = { connectionString: testStorageConnectionString(), tablePrefix: uniquePrefix(), clock };
    return { clock, one: await TableLeases.open(options), two: await TableLeases.open(options) };
  });
});
