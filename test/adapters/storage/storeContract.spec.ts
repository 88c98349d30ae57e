/** The RequestStore contract against TableRequestStore on Azurite (the memory store runs it in test/unit). */
import { TableRequestStore } from '../../../src/adapters/storage/tableRequestStore';
import { requestStoreContract } from '../../support/contracts/requestStoreContract';
import { testStorageConnectionString } from '../../support/env';
import { uniquePrefix } from './storageTestKit';

describe('RequestStore contract: TableRequestStore (Azurite)', () => {
  requestStoreContract(() => TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix: uniquePrefix() }));
});
