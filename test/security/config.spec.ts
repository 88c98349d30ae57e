/**
 * Start-up configuration that decides whether inbound authentication and the tenant check are on.
 */
import { strict as assert } from 'node:assert';
import { loadConfig } from '../../src/config/loadConfig';

const APP_ID = '5f0e7c7a-3b1d-4c55-9a6e-2d8f1b0c4e11';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const BASE = { APPROVER_IDS: '22222222-2222-4222-8222-222222222222', GRAPH_BASE_URL: 'http://127.0.0.1:5999/v1.0' };
const STORAGE = 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==;EndpointSuffix=core.windows.net';

describe('configuration of inbound authentication', () => {
  it('with MicrosoftAppId set, each app type needs its secret or tenant, TENANT_ID and a storage connection string', () => {
    const cases: Array<[Record<string, string>, RegExp[]]> = [
      [
        { MicrosoftAppType: 'MultiTenant' },
        [/MicrosoftAppPassword is required/, /TENANT_ID is required/, /STORAGE_CONNECTION_STRING is required/],
      ],
      [{ MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 'x' }, [/MicrosoftAppTenantId must be/, /TENANT_ID is required/]],
      [{ MicrosoftAppType: 'UserAssignedMSI' }, [/MicrosoftAppTenantId must be/, /TENANT_ID is required/]],
    ];
    for (const [env, expected] of cases) {
      const result = loadConfig({ ...BASE, MicrosoftAppId: APP_ID, ...env });
      assert.equal(result.ok, false, JSON.stringify(env));
      for (const problem of expected)
        assert.ok(!result.ok && result.problems.some((p) => problem.test(p)), `${JSON.stringify(env)}: ${problem}`);
    }
    const ok = loadConfig({
      ...BASE,
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'x',
      TENANT_ID: TENANT,
      STORAGE_CONNECTION_STRING: STORAGE,
    });
    assert.ok(ok.ok && !ok.config.bot.localMode && ok.config.tenantId === TENANT, 'production mode: authenticated, tenant-checked');
  });

  // Without MicrosoftAppId there is no inbound authentication (and no tenant check): a deployment
  // that forgot it would let anyone who reaches /api/messages act as an approver.
  it('refuses to run without inbound authentication against the real Microsoft Graph', () => {
    const result = loadConfig({
      APPROVER_IDS: BASE.APPROVER_IDS,
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: APP_ID,
      AZURE_CLIENT_SECRET: 'secret',
      STORAGE_CONNECTION_STRING: STORAGE,
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.problems.some((p) => /MicrosoftAppId is required unless GRAPH_BASE_URL/.test(p)));
  });
});
