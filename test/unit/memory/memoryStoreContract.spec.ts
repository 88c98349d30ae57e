/** The RequestStore contract against the memory store the unit tests use (the same checks run on Azurite). */
import { requestStoreContract } from '../../support/contracts/requestStoreContract';
import { MemoryRequestStore } from '../../support/memory/memoryRequestStore';

describe('RequestStore contract: MemoryRequestStore', () => {
  requestStoreContract(async () => new MemoryRequestStore());
});
