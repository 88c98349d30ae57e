import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BRAND_COLOR, renderColorIcon, renderOutlineIcon } from '../../tools/appPackage/iconArt';
import { checkIcon } from '../../tools/appPackage/iconChecks';
import { PNG } from 'pngjs';
import { manifestDir } from './helpers';

describe('committed app icons', () => {
  const color = readFileSync(join(manifestDir, 'color.png'));
  const outline = readFileSync(join(manifestDir, 'outline.png'));

  it('follow the Teams icon rules', () => {
    assert.deepEqual(checkIcon('color', 'color.png', color), []);
    assert.deepEqual(checkIcon('outline', 'outline.png', outline), []);
  });

  it('are what tools/scripts/make-icons.ts draws (run `npm run icons` after changing the artwork)', () => {
    assert.deepEqual(PNG.sync.read(color).data, Buffer.from(renderColorIcon().rgba));
    assert.deepEqual(PNG.sync.read(outline).data, Buffer.from(renderOutlineIcon().rgba));
  });

  it('use the manifest accent colour as the colour icon background', () => {
    const manifest = JSON.parse(readFileSync(join(manifestDir, 'manifest.json'), 'utf8')) as { accentColor: string };
    assert.equal(manifest.accentColor.toLowerCase(), BRAND_COLOR.toLowerCase());
    const rgba = PNG.sync.read(color).data;
    const corner = `#${[rgba[0], rgba[1], rgba[2]].map((v) => (v ?? 0).toString(16).padStart(2, '0')).join('')}`;
    assert.equal(corner, BRAND_COLOR.toLowerCase());
    assert.equal(rgba[3], 255, 'colour icon is opaque');
  });
});
