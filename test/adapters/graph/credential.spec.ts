import assert from 'node:assert/strict';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import {
  createGraphCredential,
  createGraphTokenProvider,
  decodeJwtClaimsUnverified,
  describeGraphCredential,
  graphScope,
  jwtRolesUnverified,
} from '../../../src/adapters/graph/credential';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '00000000-1111-2222-3333-444444444444';

describe('Graph credential selection (no network)', () => {
  const cases: Array<[string, Record<string, string>, string, unknown]> = [
    ['nothing', {}, 'none', undefined],
    [
      'a client secret',
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 'not-a-real-secret' },
      'clientSecret',
      ClientSecretCredential,
    ],
    [
      'a client certificate',
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: '/nonexistent/cert.pem' },
      'clientCertificate',
      ClientCertificateCredential,
    ],
    [
      'a secret and a certificate (the secret wins)',
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 's', AZURE_CLIENT_CERTIFICATE_PATH: '/x.pem' },
      'clientSecret',
      ClientSecretCredential,
    ],
    ['AZURE_CLIENT_ID alone', { AZURE_CLIENT_ID: CLIENT }, 'userAssignedManagedIdentity', ManagedIdentityCredential],
    ['the managed identity opt-in', { AZURE_USE_MANAGED_IDENTITY: 'true' }, 'systemAssignedManagedIdentity', ManagedIdentityCredential],
    [
      'the opt-in with a client id',
      { AZURE_USE_MANAGED_IDENTITY: 'true', AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT },
      'userAssignedManagedIdentity',
      ManagedIdentityCredential,
    ],
    ['blank values', { AZURE_TENANT_ID: ' ', AZURE_CLIENT_ID: '', AZURE_CLIENT_SECRET: '' }, 'none', undefined],
  ];
  for (const [name, env, kind, type] of cases) {
    it(`builds ${kind} from ${name}`, () => {
      assert.deepEqual(describeGraphCredential(env), { kind, problems: [] });
      const credential = createGraphCredential(env);
      if (type === undefined) assert.equal(credential, undefined);
      else assert.ok(credential instanceof (type as new (...args: never[]) => unknown), `${kind} → ${credential?.constructor.name}`);
    });
  }

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    ['a secret without a tenant', { AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 's' }, /AZURE_TENANT_ID is missing/],
    [
      'a certificate without a client id',
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_CERTIFICATE_PATH: '/x.pem' },
      /AZURE_CLIENT_ID is missing/,
    ],
    ['tenant and client id without a secret', { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT }, /AZURE_USE_MANAGED_IDENTITY=true/],
    ['a tenant alone', { AZURE_TENANT_ID: TENANT }, /AZURE_CLIENT_ID/],
    [
      'a secret with the managed identity opt-in',
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 's', AZURE_USE_MANAGED_IDENTITY: 'true' },
      /conflicts/,
    ],
    ['an unreadable opt-in', { AZURE_USE_MANAGED_IDENTITY: 'yes please' }, /"true" or "false"/],
  ];
  for (const [name, env, problem] of invalid) {
    it(`reports ${name} as a problem`, () => {
      const description = describeGraphCredential(env);
      assert.equal(description.kind, 'invalid');
      assert.ok(
        description.problems.some((line) => problem.test(line)),
        description.problems.join(' | '),
      );
      assert.throws(() => createGraphCredential(env), /misconfigured/);
    });
  }

  it('never puts the secret in a problem', () => {
    const description = describeGraphCredential({ AZURE_CLIENT_SECRET: 'super-secret-value' });
    assert.doesNotMatch(description.problems.join(' '), /super-secret-value/);
  });

  it('has no token provider when no credential is configured, and one otherwise', () => {
    assert.equal(createGraphTokenProvider({}), undefined);
    assert.equal(
      typeof createGraphTokenProvider({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 's' }),
      'function',
    );
  });

  it('asks for <origin of GRAPH_BASE_URL>/.default', () => {
    assert.equal(graphScope({}), 'https://graph.microsoft.com/.default');
    assert.equal(graphScope({ GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0' }), 'https://graph.microsoft.us/.default');
    assert.equal(graphScope({ GRAPH_BASE_URL: 'http://127.0.0.1:5001/v1.0' }), 'http://127.0.0.1:5001/.default');
  });

  it("reads a token's roles without verifying it", () => {
    const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ aud: 'https://graph.microsoft.com', roles: ['User.Invite.All', 'User.Read.All'] })}.signature`;
    assert.deepEqual(jwtRolesUnverified(token), ['User.Invite.All', 'User.Read.All']);
    assert.equal(decodeJwtClaimsUnverified(token)?.aud, 'https://graph.microsoft.com');
    assert.deepEqual(jwtRolesUnverified(`${encode({})}.${encode({ scp: 'User.Read' })}.x`), []);
    assert.deepEqual(jwtRolesUnverified('not a jwt'), []);
    assert.deepEqual(jwtRolesUnverified('a.%%%.c'), []);
  });
});
