/**
 * The deployment files can't be run here (no Docker engine, no Azure): these tests keep them honest.
 * Every app setting the Bicep template writes is a variable the app reads, every parameter the
 * example file sets exists in the template, and the Dockerfile's commands are the project's own.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestStoreTableNames } from '../../src/adapters/storage/tableRequestStore';
import { leasesTableName } from '../../src/adapters/storage/tableLeases';
import { teamsTableName } from '../../src/adapters/storage/tableTeamRegistry';
import { conversationRefsTableName } from '../../src/adapters/storage/tableConversationRefs';
import { HEAP_START_FLAGS } from '../../src/server/heapPolicy';

const root = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('deployment files', () => {
  const bicep = read('deploy/main.bicep');
  const settings = [...bicep.matchAll(/name: '([A-Za-z_]+)'\s*\n\s*value:/g)].map((m) => m[1]!);

  it('every app setting in the Bicep template is a variable the app reads, and the required ones are there', () => {
    const config = read('src/config/loadConfig.ts') + read('src/config/graphCredentialChoice.ts') + read('src/adapters/graph/credential.ts');
    const platform = new Set(['WEBSITES_PORT', 'WEBSITES_ENABLE_APP_SERVICE_STORAGE']);
    for (const name of settings) if (!platform.has(name)) assert.ok(config.includes(name), `${name} is read by the app`);
    for (const name of ['MicrosoftAppType', 'MicrosoftAppId', 'MicrosoftAppTenantId', 'TENANT_ID', 'AZURE_CLIENT_ID', 'STORAGE_CONNECTION_STRING', 'APPROVER_IDS', 'APPROVER_GROUP_ID', 'APPROVAL_CHANNEL_ID', 'TEAMS_APP_ID']) {
      assert.ok(settings.includes(name), `${name} is set by the template`);
    }
  });

  it('the tables the template creates, and the deployment guide names, are exactly the ones the app uses', () => {
    const tables = bicep.slice(bicep.indexOf('var tableNames = ['), bicep.indexOf(']', bicep.indexOf('var tableNames = [')));
    const templated = [...tables.matchAll(/'(\w+)'/g)].map((m) => m[1]!).sort();
    const used = [...Object.values(requestStoreTableNames()), leasesTableName(), teamsTableName(), conversationRefsTableName()].sort();
    assert.deepEqual(templated, used);
    const docs = read('docs/deployment.md');
    for (const name of used) assert.ok(docs.includes(`\`${name}\``), `${name} is named in docs/deployment.md`);
  });

  it('the template outputs the Graph permissions to grant, TeamsAppInstallation.ReadWriteSelfForUser.All with TEAMS_APP_ID', () => {
    const output = /^output graphPermissions array = (.+)$/m.exec(bicep)?.[1] ?? '';
    assert.match(output, /'User\.Invite\.All'/);
    assert.match(output, /empty\(teamsAppId\) \? \[\] : \['TeamsAppInstallation\.ReadWriteSelfForUser\.All'\]/);
  });

  it('the example parameters are all template parameters, and documented', () => {
    const params = new Set([...bicep.matchAll(/^param (\w+) /gm)].map((m) => m[1]!));
    const example = JSON.parse(read('deploy/main.parameters.example.json')) as { parameters: Record<string, unknown> };
    const docs = read('docs/deployment.md');
    for (const name of Object.keys(example.parameters)) {
      assert.ok(params.has(name), `${name} is a template parameter`);
      assert.ok(docs.includes(name), `${name} is in docs/deployment.md`);
    }
  });

  it('the Dockerfile builds with the project scripts and runs what npm start runs', () => {
    const dockerfile = read('Dockerfile');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    assert.match(dockerfile, /RUN npm run build/);
    assert.ok(pkg.scripts.build, 'a build script exists');
    // Both start node with the heap flags V8 reads only at start-up (src/server/heapPolicy.ts).
    assert.ok(dockerfile.includes(`CMD ${JSON.stringify(['node', ...HEAP_START_FLAGS, 'dist/index.js'])}`.replace(/","/g, '", "')), 'Dockerfile CMD');
    assert.equal(pkg.scripts.start, ['node', ...HEAP_START_FLAGS, 'dist/index.js'].join(' '));
    assert.match(dockerfile, /USER node/);
    assert.match(dockerfile, /HEALTHCHECK/);
    assert.match(dockerfile, /\/healthz/);
  });
});
