import { strict as assert } from 'node:assert';
import { loadConfig } from '../../src/config/loadConfig';

const APPROVER = '22222222-2222-4222-8222-222222222222';
const GUID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('configuration', () => {
  it('local mode: only APPROVER_IDS and a loopback Graph are needed', () => {
    const result = loadConfig({ APPROVER_IDS: APPROVER, GRAPH_BASE_URL: 'http://127.0.0.1:5001/v1.0' });
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.equal(result.config.port, 3978);
    assert.equal(result.config.bot.localMode, true);
    assert.equal(result.config.storage.connectionString, 'UseDevelopmentStorage=true');
    assert.equal(result.config.inviteRedirectUrl, 'https://myapps.microsoft.com');
  });

  it('member invitations: MEMBER_APPROVER_IDS canonicalised, MEMBER_APPROVER_GROUP_ID a GUID, both off by default; a non-GUID is one clear line each', () => {
    const base = { APPROVER_IDS: APPROVER, GRAPH_BASE_URL: 'http://127.0.0.1:5001/v1.0' };
    const off = loadConfig(base);
    assert.ok(off.ok);
    assert.deepEqual([off.config.memberApproverIds, off.config.memberApproverGroupId], [[], '']);

    const on = loadConfig({
      ...base,
      MEMBER_APPROVER_IDS: ` {${GUID.toUpperCase()}} , ${GUID}\u200b`,
      MEMBER_APPROVER_GROUP_ID: ` ${APPROVER.toUpperCase()} `,
    });
    assert.ok(on.ok);
    assert.deepEqual(on.config.memberApproverIds, [GUID]);
    assert.equal(on.config.memberApproverGroupId, APPROVER);

    const bad = loadConfig({ ...base, MEMBER_APPROVER_IDS: `${GUID},admin@contoso.com`, MEMBER_APPROVER_GROUP_ID: 'Admins' });
    assert.ok(!bad.ok);
    assert.deepEqual(
      bad.problems.filter((p) => p.startsWith('MEMBER_APPROVER')),
      [
        'MEMBER_APPROVER_IDS must hold Entra object ids (GUIDs) of the people who may approve Member invitations, not: "admin@contoso.com"',
        'MEMBER_APPROVER_GROUP_ID must be the object id (a GUID) of an Entra group (got "Admins")',
      ],
    );
  });

  it('names every problem on its own line', () => {
    const result = loadConfig({ PORT: 'abc', INVITE_REDIRECT_URL: 'http://example.com', ALLOWED_EMAIL_DOMAINS: 'ok.com,not a domain' });
    assert.equal(result.ok, false);
    if (result.ok) return;
    const text = result.problems.join('\n');
    assert.match(text, /PORT must be a whole number/);
    assert.match(text, /ALLOWED_EMAIL_DOMAINS/);
    const second = loadConfig({ INVITE_REDIRECT_URL: 'http://example.com' });
    assert.ok(!second.ok && second.problems.some((p) => /APPROVER_IDS is required/.test(p)));
    assert.ok(!second.ok && second.problems.some((p) => /INVITE_REDIRECT_URL must be an https/.test(p)));
    assert.ok(!second.ok && second.problems.some((p) => /Graph credential is required/.test(p)));
  });

  it('TEAMS_APP_ID: a GUID (the manifest id), read lower-cased; anything else is named; unset = no installation', () => {
    const local = { APPROVER_IDS: APPROVER, GRAPH_BASE_URL: 'http://127.0.0.1:5001/v1.0' };
    const set = loadConfig({ ...local, TEAMS_APP_ID: ` ${GUID.toUpperCase()} ` });
    assert.ok(set.ok && set.config.teamsAppId === GUID);
    const unset = loadConfig(local);
    assert.ok(unset.ok && unset.config.teamsAppId === '');
    const bad = loadConfig({ ...local, TEAMS_APP_ID: 'com.contoso.guestaccess' });
    assert.ok(!bad.ok && bad.problems.some((p) => /TEAMS_APP_ID must be the app manifest's id/.test(p)));
  });

  it('refuses approver ids that are not object ids', () => {
    const result = loadConfig({ APPROVER_IDS: 'anna@contoso.com', GRAPH_BASE_URL: 'http://localhost:5001/v1.0' });
    assert.ok(!result.ok && result.problems.some((p) => p.includes('anna@contoso.com')));
  });

  it('production: bot identity, tenant, storage and a Graph credential are required', () => {
    const result = loadConfig({ MicrosoftAppId: GUID, MicrosoftAppType: 'SingleTenant', APPROVER_IDS: APPROVER });
    assert.equal(result.ok, false);
    if (result.ok) return;
    const text = result.problems.join('\n');
    for (const name of ['MicrosoftAppPassword', 'MicrosoftAppTenantId', 'TENANT_ID', 'STORAGE_CONNECTION_STRING', 'Graph credential'])
      assert.match(text, new RegExp(name));
  });

  it('production with a managed identity is accepted', () => {
    const result = loadConfig({
      MicrosoftAppId: GUID,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: GUID,
      TENANT_ID: GUID,
      AZURE_CLIENT_ID: GUID,
      STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==;EndpointSuffix=core.windows.net',
      APPROVER_IDS: `${APPROVER}, ${GUID}`,
      BLOCKED_EMAIL_DOMAINS: 'gmail.com, *.Example.org',
    });
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.equal(result.config.graph.credential, 'userAssignedManagedIdentity');
    assert.deepEqual(result.config.policy.blocked, ['gmail.com', 'example.org']);
    assert.equal(result.config.approverIds.length, 2);
  });
});
