/**
 * Imports run one way: server → bot → domain ← adapters, with config, start-up and the composition
 * root (app.ts, runServer.ts, index.ts) on top; tools/ and test/ sit beside the product and are never
 * imported by it. Read from the import statements of src/**\/*.ts (README.md, "Project layout").
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const srcDir = join(root, 'src');

interface Import {
  readonly file: string; // e.g. src/bot/guestAccessBot.ts
  readonly specifier: string;
  /** For relative imports: the target's path from the repository root, without extension. */
  readonly target?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Import specifiers of a TypeScript file, comments removed first so examples in prose do not count. */
export function importsOf(code: string): string[] {
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...withoutComments.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

function allImports(): Import[] {
  return sourceFiles(srcDir).flatMap((path) => {
    const file = relative(root, path).split(sep).join('/');
    return importsOf(readFileSync(path, 'utf8')).map((specifier) => ({
      file,
      specifier,
      ...(specifier.startsWith('.')
        ? {
            target: relative(root, resolve(dirname(path), specifier))
              .split(sep)
              .join('/'),
          }
        : {}),
    }));
  });
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
/** The part of src a path belongs to: "domain", "adapters", "bot", … or "app" for src/app.ts. */
const layerOf = (path: string) => path.split('/')[1]?.replace(/\.ts$/, '') ?? '';

/** What each layer may not import (by layer, or by a folder inside one). */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  adapters: ['src/bot', 'src/server', 'src/domain/usecases', 'src/startup', 'src/app', 'src/runServer', 'src/index'],
  bot: ['src/adapters', 'src/server', 'src/config', 'src/startup', 'src/app', 'src/runServer', 'src/index'],
  server: ['src/adapters', 'src/config', 'src/startup', 'src/app', 'src/runServer', 'src/index'],
  cards: ['src/adapters', 'src/bot', 'src/server', 'src/config', 'src/startup', 'src/app', 'src/runServer', 'src/index'],
  config: ['src/adapters', 'src/bot', 'src/server', 'src/startup', 'src/app', 'src/runServer', 'src/index'],
};

export function layeringViolations(imports: readonly Import[]): string[] {
  const problems: string[] = [];
  for (const { file, specifier, target } of imports) {
    const layer = layerOf(file);
    const where = `${file} imports '${specifier}'`;
    if (target === undefined) {
      // Packages: the domain stays framework-free (Node's own modules only).
      if (layer === 'domain' && !specifier.startsWith('node:')) problems.push(`${where}: the domain imports no package`);
      continue;
    }
    if (!inside(target, 'src')) {
      problems.push(`${where}: the product imports nothing outside src/ (tools/ and test/ sit beside it)`);
      continue;
    }
    if (layer === 'domain' && !inside(target, 'src/domain')) problems.push(`${where}: the domain imports only the domain`);
    for (const folder of FORBIDDEN[layer] ?? []) {
      if (inside(target, folder)) problems.push(`${where}: ${layer} may not import ${folder}/`);
    }
  }
  return problems;
}

describe('architecture: layering of src/', () => {
  const imports = allImports();

  it('reads the import statements of every source file', () => {
    assert.ok(imports.length > 300, `found only ${imports.length} imports`);
    assert.ok(imports.some((i) => i.file === 'src/app.ts' && i.target === 'src/bot/guestAccessBot'));
    assert.deepEqual(
      importsOf(
        "import type { A } from './a';\nexport { b } from '../b';\nimport './c';\nconst d = require('./d');\n// import { e } from './e';",
      ),
      ['./a', '../b', './c', './d'],
    );
  });

  it('flags imports against the layering (the check itself)', () => {
    const made = (file: string, specifier: string): Import => ({
      file,
      specifier,
      target: relative(root, resolve(root, dirname(file), specifier))
        .split(sep)
        .join('/'),
    });
    assert.equal(
      layeringViolations([
        made('src/domain/x.ts', '../adapters/y'),
        made('src/adapters/teams/x.ts', '../../domain/usecases/y'),
        made('src/adapters/teams/x.ts', '../../bot/y'),
        made('src/bot/x.ts', '../adapters/teams/y'),
        made('src/config/x.ts', '../adapters/graph/y'),
        made('src/runServer.ts', '../tools/doctor'),
        made('src/app.ts', '../test/support/x'),
        { file: 'src/domain/x.ts', specifier: 'botbuilder' },
      ]).length,
      8,
    );
    assert.deepEqual(
      layeringViolations([
        made('src/app.ts', './adapters/x'),
        made('src/adapters/x.ts', '../domain/ports'),
        made('src/bot/x.ts', '../domain/usecases/y'),
      ]),
      [],
    );
  });

  it('no import in src/ runs against the layering', () => {
    const problems = layeringViolations(imports);
    assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
  });
});
