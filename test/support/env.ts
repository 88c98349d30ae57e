/** The shared services started by globalFixtures.ts. */
export function testStorageConnectionString(): string {
  const value = process.env.TEST_STORAGE_CONNECTION_STRING;
  if (!value) throw new Error('TEST_STORAGE_CONNECTION_STRING is not set: run the tests through `npm test`');
  return value;
}

export function testGraphBaseUrl(): string {
  const value = process.env.TEST_GRAPH_BASE_URL;
  if (!value) throw new Error('TEST_GRAPH_BASE_URL is not set: run the tests through `npm test`');
  return value;
}
