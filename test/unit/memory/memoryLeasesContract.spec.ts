/** The Leases contract against the memory leases (the same checks run on Azurite). */
import { leasesContract } from '../../support/contracts/leasesContract';
import { ManualClock } from '../../support/memory/manualClock';
import { MemoryLeases } from '../../support/memory/memoryLeases';

describe('Leases contract: MemoryLeases', () => {
  leasesContract(async () => {
    const clock = new ManualClock();
    const leases = new MemoryLeases(clock); // one store of leases, two users: two processes
    return { clock, one: leases, two: leases };
  });
});
