import assert from 'node:assert/strict';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { buildAppPackage } from '../../tools/appPackage/buildAppPackage';
import { checkIcon } from '../../tools/appPackage/iconChecks';
import { defaultTeamsAppId } from '../../tools/appPackage/manifestTemplate';
import { latestBundledTeamsSchemaVersion, validateLocalization, validateManifest } from '../../tools/appPackage/validateManifest';
import { commandOf } from '../../src/bot/routes';
import { TEST_BOT_ID, TEST_DOMAIN, manifestDir, packageVersion, scratchManifest, testEnv, type ScratchManifest } from './helpers';

type Built = Extract<Awaited<ReturnType<typeof buildAppPackage>>, { ok: true }>;
type Refused = Extract<Awaited<ReturnType<typeof buildAppPackage>>, { ok: false }>;

async function build(env = testEnv(), dir = manifestDir): Promise<Built> {
  const result = await buildAppPackage({ manifestDir: dir, env, defaultVersion: packageVersion });
  assert.ok(result.ok, `expected the package to build, got:\n${result.ok ? '' : result.errors.join('\n')}`);
  return result;
}

async function refuse(env = testEnv(), dir = manifestDir): Promise<Refused> {
  const result = await buildAppPackage({ manifestDir: dir, env, defaultVersion: packageVersion });
  assert.ok(!result.ok, 'expected the package to be refused');
  return result;
}

function pngOf(size: number, pixels: Uint8Array): Buffer {
  const png = new PNG({ width: size, height: size });
  png.data = Buffer.from(pixels);
  return PNG.sync.write(png);
}

function solidPng(size: number, rgba: [number, number, number, number]): Buffer {
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
  return pngOf(size, pixels);
}

describe('app package (npm run package)', () => {
  describe('with a test bot id', () => {
    let built: Built;
    let files: Map<string, Buffer>;
    let manifest: Record<string, unknown>;
    const realFetch = globalThis.fetch;
    let fetchCalls = 0;

    before(async function () {
      this.timeout(30000);
      // Packaging must be offline: any attempt to fetch (e.g. the schema URL) is a failure.
      globalThis.fetch = async () => {
        fetchCalls++;
        throw new Error('network access during packaging');
      };
      try {
        built = await build();
      } finally {
        globalThis.fetch = realFetch;
      }
      files = new Map(Object.entries(unzipSync(built.zip)).map(([name, data]) => [name, Buffer.from(data)]));
      manifest = JSON.parse((files.get('manifest.json') ?? Buffer.alloc(0)).toString('utf8')) as Record<string, unknown>;
    });

    it('made no network request', () => {
      assert.equal(fetchCalls, 0);
    });

    it('holds exactly manifest.json, color.png, outline.png and the German localization at the zip root', () => {
      assert.deepEqual([...files.keys()].sort(), ['color.png', 'de-de.json', 'manifest.json', 'outline.png']);
    });

    it('is localized into German: every command of every scope has a German title and description, valid against the schema', async () => {
      assert.deepEqual(manifest.localizationInfo, {
        defaultLanguageTag: 'en-us',
        additionalLanguages: [{ languageTag: 'de-de', file: 'de-de.json' }],
      });
      const german = JSON.parse((files.get('de-de.json') ?? Buffer.alloc(0)).toString('utf8')) as Record<string, string>;
      assert.deepEqual(await validateLocalization('de-de.json', german, String(manifest.manifestVersion)), []);
      assert.deepEqual(
        await validateLocalization(
          'de-de.json',
          { ...german, 'bots[0].commandLists[0].commands[0].colour': 'x' },
          String(manifest.manifestVersion),
        ).then((p) => p.length > 0),
        true,
        'the schema is applied',
      );
      const lists = (manifest.bots as Array<{ commandLists: Array<{ commands: Array<{ title: string }> }> }>)[0]!.commandLists;
      lists.forEach((list, l) =>
        list.commands.forEach((command, c) => {
          const title = german[`bots[0].commandLists[${l}].commands[${c}].title`];
          assert.ok(title && german[`bots[0].commandLists[${l}].commands[${c}].description`], `${command.title} is translated`);
          // The German titles are commands the bot understands (its German aliases).
          assert.ok(commandOf(title), `${title} is a command`);
        }),
      );
      assert.equal(german['bots[0].commandLists[0].commands[1].title'], 'meine anfragen');
    });

    it('refuses a localization file that is missing or breaks the schema', async () => {
      const scratch = scratchManifest();
      try {
        scratch.writeFile(
          'de-de.json',
          Buffer.from(JSON.stringify({ 'name.short': 'x'.repeat(31), 'description.short': 'k', 'description.full': 'l' })),
        );
        assert.match((await refuse(testEnv(), scratch.dir)).errors.join('\n'), /de-de\.json \/name\.short/);
        scratch.writeFile('de-de.json', Buffer.from('{'));
        assert.match((await refuse(testEnv(), scratch.dir)).errors.join('\n'), /de-de\.json is not valid JSON/);
      } finally {
        scratch.remove();
      }
    });

    it('has a manifest that validates against the newest schema bundled in @microsoft/app-manifest', async () => {
      assert.equal(manifest.manifestVersion, latestBundledTeamsSchemaVersion());
      assert.ok(Number(String(manifest.manifestVersion).split('.')[1]) >= 22, 'schema 1.22 or later');
      assert.equal(
        manifest.$schema,
        `https://developer.microsoft.com/json-schemas/teams/v${String(manifest.manifestVersion)}/MicrosoftTeams.schema.json`,
      );
      assert.deepEqual(await validateManifest(manifest), []);
    });

    it('fills every placeholder', () => {
      const text = (files.get('manifest.json') ?? Buffer.alloc(0)).toString('utf8');
      assert.doesNotMatch(text, /\$\{\{/);
      assert.equal(manifest.id, defaultTeamsAppId(TEST_BOT_ID));
      assert.notEqual(manifest.id, TEST_BOT_ID);
      assert.equal(manifest.version, packageVersion);
      assert.deepEqual(manifest.validDomains, [TEST_DOMAIN]);
    });

    it('declares one bot (personal and team scope) with the test bot id, no files, and the commands of each scope', () => {
      const bots = manifest.bots as Array<Record<string, unknown>>;
      assert.equal(bots.length, 1);
      const bot = bots[0] ?? {};
      assert.equal(bot.botId, TEST_BOT_ID);
      assert.deepEqual(bot.scopes, ['personal', 'team']);
      assert.equal(bot.supportsFiles, false);
      const lists = bot.commandLists as Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
      assert.equal(lists.length, 2);
      assert.deepEqual(lists[0]?.scopes, ['personal']);
      assert.deepEqual(
        lists[0]?.commands.map((c) => c.title),
        ['request', 'my requests', 'pending', 'help'],
      );
      // In a team: ask for a guest for this team (the form comes to the personal chat), and help.
      assert.deepEqual(lists[1]?.scopes, ['team']);
      assert.deepEqual(
        lists[1]?.commands.map((c) => c.title),
        ['request', 'help'],
      );
      for (const command of lists.flatMap((list) => list.commands)) {
        assert.ok(command.description.length >= 20 && command.description.length <= 128, command.title);
      }
    });

    it('has names and descriptions within the Teams limits', () => {
      const name = manifest.name as { short: string; full: string };
      const description = manifest.description as { short: string; full: string };
      assert.ok(name.short.length > 0 && name.short.length <= 30);
      assert.ok(name.full.length > name.short.length && name.full.length <= 100);
      assert.ok(description.short.length > 0 && description.short.length <= 80);
      assert.ok(description.full.length > description.short.length && description.full.length <= 4000);
    });

    it('carries icons of the right size, read back from the zip', () => {
      const color = files.get('color.png') ?? Buffer.alloc(0);
      const outline = files.get('outline.png') ?? Buffer.alloc(0);
      const [colorPng, outlinePng] = [PNG.sync.read(color), PNG.sync.read(outline)];
      assert.deepEqual([colorPng.width, colorPng.height], [192, 192]);
      assert.deepEqual([outlinePng.width, outlinePng.height], [32, 32]);
      assert.deepEqual(checkIcon('outline', 'outline.png', outline), []);
      const rgba = outlinePng.data;
      let inked = 0;
      for (let i = 3; i < rgba.length; i += 4) if ((rgba[i] ?? 0) > 0) inked++;
      assert.ok(inked > 100, 'the outline icon draws something');
    });

    it('is the same archive, byte for byte, when built twice from the same input', async () => {
      assert.ok((await build()).zip.equals(built.zip));
    });

    it('uses TEAMS_APP_ID and APP_VERSION when given', async () => {
      const other = await build(testEnv({ TEAMS_APP_ID: '0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9', APP_VERSION: '2.3.4' }));
      assert.equal(other.manifest.id, '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9');
      assert.equal(other.manifest.version, '2.3.4');
    });

    it('derives a stable Teams app id per bot', () => {
      assert.equal(defaultTeamsAppId(TEST_BOT_ID), defaultTeamsAppId(TEST_BOT_ID.toUpperCase()));
      assert.notEqual(defaultTeamsAppId(TEST_BOT_ID), defaultTeamsAppId('11111111-2222-3333-4444-555555555555'));
      assert.match(defaultTeamsAppId(TEST_BOT_ID), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('uses the developer details from the environment, and warns when they are missing', async () => {
      assert.ok(built.warnings.some((w) => w.includes('DEVELOPER_PRIVACY_URL')));
      const withDeveloper = await build(
        testEnv({
          DEVELOPER_NAME: 'Fabrikam IT',
          DEVELOPER_WEBSITE_URL: 'https://it.fabrikam.example/guest-access',
          DEVELOPER_PRIVACY_URL: 'https://it.fabrikam.example/privacy',
          DEVELOPER_TERMS_URL: 'https://it.fabrikam.example/terms',
        }),
      );
      assert.deepEqual(withDeveloper.warnings, []);
      assert.deepEqual(withDeveloper.manifest.developer, {
        name: 'Fabrikam IT',
        websiteUrl: 'https://it.fabrikam.example/guest-access',
        privacyUrl: 'https://it.fabrikam.example/privacy',
        termsOfUseUrl: 'https://it.fabrikam.example/terms',
      });
    });
  });

  describe('refuses bad settings, one line per problem', () => {
    it('refuses a missing MicrosoftAppId', async () => {
      const result = await refuse(testEnv({ MicrosoftAppId: undefined }));
      assert.equal(result.errors.length, 1);
      assert.match(result.errors[0] ?? '', /^MicrosoftAppId is not set/);
    });

    it('refuses a blank MicrosoftAppId and a bot id that is not a GUID', async () => {
      assert.match((await refuse(testEnv({ MicrosoftAppId: '   ' }))).errors[0] ?? '', /^MicrosoftAppId is not set/);
      assert.match((await refuse(testEnv({ MicrosoftAppId: 'my-bot' }))).errors[0] ?? '', /^MicrosoftAppId must be a GUID .*"my-bot"/);
    });

    it('names every missing or invalid value at once', async () => {
      const result = await refuse({
        BOT_DOMAIN: 'https://guestaccess.azurewebsites.net/api/messages',
        TEAMS_APP_ID: 'x',
        APP_VERSION: 'v1',
        DEVELOPER_PRIVACY_URL: 'http://insecure.example/privacy',
      });
      const joined = result.errors.join('\n');
      assert.equal(result.errors.length, 5, joined);
      assert.match(joined, /^MicrosoftAppId is not set/m);
      assert.match(joined, /^TEAMS_APP_ID must be a GUID/m);
      assert.match(joined, /^BOT_DOMAIN must be a host name only, without https:\/\//m);
      assert.match(joined, /^APP_VERSION must be MAJOR\.MINOR\.PATCH/m);
      assert.match(joined, /^DEVELOPER_PRIVACY_URL must be an https:\/\/ URL/m);
    });

    it('refuses a missing or unusable BOT_DOMAIN', async () => {
      assert.match((await refuse(testEnv({ BOT_DOMAIN: undefined }))).errors[0] ?? '', /^BOT_DOMAIN is not set/);
      assert.match((await refuse(testEnv({ BOT_DOMAIN: 'localhost' }))).errors[0] ?? '', /^BOT_DOMAIN /);
      assert.match((await refuse(testEnv({ BOT_DOMAIN: 'bot.example.net:8443' }))).errors[0] ?? '', /without a port/);
    });
  });

  describe('refuses a broken manifest or icon', () => {
    let scratch: ScratchManifest;
    beforeEach(() => {
      scratch = scratchManifest();
    });
    afterEach(() => scratch.remove());

    it('refuses a manifest without a required field, naming it', async () => {
      const manifest = scratch.readManifest();
      delete manifest.description;
      scratch.writeManifest(manifest);
      const result = await refuse(testEnv(), scratch.dir);
      assert.deepEqual(result.errors, ["manifest.json /: must have required property 'description'"]);
    });

    it('refuses a bot without its required scopes, and an unknown property', async () => {
      const manifest = scratch.readManifest();
      const bot = (manifest.bots as Array<Record<string, unknown>>)[0] ?? {};
      delete bot.scopes;
      manifest.sneaky = true;
      scratch.writeManifest(manifest);
      const joined = (await refuse(testEnv(), scratch.dir)).errors.join('\n');
      assert.match(joined, /^manifest\.json \/bots\/0: must have required property 'scopes'$/m);
      assert.match(joined, /^manifest\.json \/: must NOT have additional properties: "sneaky"$/m);
    });

    it('refuses a short name over 30 characters', async () => {
      const manifest = scratch.readManifest();
      (manifest.name as Record<string, string>).short = 'A name that is far too long for Teams';
      scratch.writeManifest(manifest);
      const joined = (await refuse(testEnv(), scratch.dir)).errors.join('\n');
      assert.match(joined, /^manifest\.json \/name\/short: must NOT have more than 30 characters$/m);
    });

    it('refuses an unknown placeholder', async () => {
      const manifest = scratch.readManifest();
      (manifest.name as Record<string, string>).full = 'Guest Access for ${{COMPANY}}';
      scratch.writeManifest(manifest);
      const joined = (await refuse(testEnv(), scratch.dir)).errors.join('\n');
      assert.match(joined, /^manifest\.json \/name\/full: unknown placeholder \$\{\{COMPANY\}\}$/m);
    });

    it('refuses a manifest version whose schema is not bundled, rather than going online', async () => {
      const manifest = scratch.readManifest();
      manifest.manifestVersion = '1.99';
      manifest.$schema = 'https://developer.microsoft.com/json-schemas/teams/v1.99/MicrosoftTeams.schema.json';
      scratch.writeManifest(manifest);
      const joined = (await refuse(testEnv(), scratch.dir)).errors.join('\n');
      assert.match(joined, /no schema for version "1\.99" is bundled in @microsoft\/app-manifest@/);
    });

    it('refuses a colour icon of the wrong size', async () => {
      scratch.writeFile('color.png', solidPng(96, [47, 91, 211, 255]));
      const result = await refuse(testEnv(), scratch.dir);
      assert.deepEqual(result.errors, ['color.png (color icon) is 96×96 pixels; it must be exactly 192×192']);
    });

    it('refuses an outline icon that is not white on transparent', async () => {
      const pixels = new Uint8Array(32 * 32 * 4);
      pixels.set([0, 0, 0, 255], (5 * 32 + 3) * 4); // one opaque black pixel at x=3, y=5
      scratch.writeFile('outline.png', pngOf(32, pixels));
      const result = await refuse(testEnv(), scratch.dir);
      assert.deepEqual(result.errors, [
        'outline.png (outline icon) must be white on transparent: 1 pixel(s) are neither white nor fully transparent (first at x=3, y=5: rgba(0, 0, 0, 255))',
      ]);
    });

    it('refuses an icon that is not a PNG, and a missing icon', async () => {
      scratch.writeFile('outline.png', Buffer.from('GIF89a not really'));
      const manifest = scratch.readManifest();
      (manifest.icons as Record<string, string>).color = 'missing.png';
      scratch.writeManifest(manifest);
      const joined = (await refuse(testEnv(), scratch.dir)).errors.join('\n');
      assert.match(joined, /^outline\.png \(outline icon\) is not a PNG file/m);
      assert.match(joined, /^missing\.png \(color icon\) not found/m);
    });

    it('refuses a PNG whose image data is corrupt', async () => {
      const png = solidPng(32, [255, 255, 255, 255]);
      png.fill(0, png.length - 40, png.length - 12); // inside the IDAT chunk, before IEND
      scratch.writeFile('outline.png', png);
      const joined = (await refuse(testEnv(), scratch.dir)).errors.join('\n');
      assert.match(joined, /^outline\.png \(outline icon\) is corrupt \(/m);
    });

    it('refuses icon paths that leave the manifest folder', async () => {
      const manifest = scratch.readManifest();
      (manifest.icons as Record<string, string>).color = '../package.json';
      scratch.writeManifest(manifest);
      const joined = (await refuse(testEnv(), scratch.dir)).errors.join('\n');
      assert.match(joined, /^manifest\.json \/icons\/color: "\.\.\/package\.json" must be a file name inside the manifest folder$/m);
    });
  });
});
