import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { PNG_SIGNATURE, PngError, decodePng, readPngHeader } from '../../src/devtools/appPackage/pngInfo';
import { encodeRgbaPng } from '../../src/devtools/appPackage/pngWrite';
import { ZipError, createZip, readZip } from '../../src/devtools/appPackage/zip';

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
  return out;
}

/** A hand-made 2×2 palette PNG, 2 bits per pixel, with a tRNS entry. */
function palettePng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 2; // bit depth
  ihdr[9] = 3; // palette
  const plte = Buffer.from([255, 255, 255, 0, 0, 0, 10, 20, 30]);
  const trns = Buffer.from([255, 0]); // index 1 fully transparent
  // rows: filter 0, then indices packed 2 bits each: row0 = [0,1], row1 = [2,0]
  const raw = Buffer.from([0, 0b0001_0000, 0, 0b1000_0000]);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('tRNS', trns), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe('PNG reading and writing', () => {
  it('round-trips RGBA pixels through the encoder and decoder', () => {
    const pixels = new Uint8Array(5 * 3 * 4);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) & 0xff;
    const png = encodeRgbaPng(5, 3, pixels);
    assert.deepEqual(readPngHeader(png), { width: 5, height: 3, bitDepth: 8, colorType: 6, interlaced: false });
    assert.deepEqual(Buffer.from(decodePng(png).rgba), Buffer.from(pixels));
  });

  it('decodes palette images with sub-byte depth and transparency', () => {
    const { width, height, rgba } = decodePng(palettePng());
    assert.deepEqual([width, height], [2, 2]);
    assert.deepEqual([...rgba], [255, 255, 255, 255, 0, 0, 0, 0, 10, 20, 30, 255, 255, 255, 255, 255]);
  });

  it('refuses what is not a PNG, and corrupt chunks', () => {
    assert.throws(() => readPngHeader(Buffer.from('not a png at all')), (err: unknown) => err instanceof PngError && /not a PNG/.test(err.message));
    const png = encodeRgbaPng(2, 2, new Uint8Array(16));
    png[20] = (png[20] ?? 0) ^ 0xff; // inside IHDR: breaks its CRC
    assert.throws(() => readPngHeader(png), /CRC mismatch in chunk IHDR/);
    assert.throws(() => readPngHeader(PNG_SIGNATURE), /truncated/);
  });
});

describe('ZIP writing and reading', () => {
  const entries = [
    { name: 'manifest.json', data: Buffer.from('{"hello":"world"}\n'.repeat(50)) },
    { name: 'color.png', data: encodeRgbaPng(4, 4, new Uint8Array(64).fill(200)) },
    { name: 'empty.txt', data: Buffer.alloc(0) },
  ];

  it('round-trips entries, in order', () => {
    const back = readZip(createZip(entries));
    assert.deepEqual(back.map((e) => e.name), entries.map((e) => e.name));
    back.forEach((entry, i) => assert.deepEqual(Buffer.from(entry.data), entries[i]?.data));
  });

  it('is deterministic for equal input', () => {
    assert.deepEqual(createZip(entries), createZip(entries));
  });

  it('writes archives that the system unzip accepts, when it is installed', function () {
    let unzipAvailable = true;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      unzipAvailable = false;
    }
    if (!unzipAvailable) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'gab-zip-'));
    try {
      const file = join(dir, 'test.zip');
      writeFileSync(file, createZip(entries));
      const out = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
      assert.match(out, /No errors detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unsafe or duplicate names, and detects corruption', () => {
    assert.throws(() => createZip([{ name: '../evil', data: Buffer.alloc(1) }]), ZipError);
    assert.throws(() => createZip([{ name: '/abs', data: Buffer.alloc(1) }]), ZipError);
    assert.throws(() => createZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }]), /duplicate/);
    assert.throws(() => readZip(Buffer.from('PK nothing here')), /not a ZIP archive/);
    const stored = createZip([{ name: 'x.bin', data: Buffer.from([1, 2, 3, 4]) }]); // too small to deflate: stored
    stored[30 + 'x.bin'.length] = 9; // change the first data byte
    assert.throws(() => readZip(stored), /x\.bin: CRC mismatch/);
  });
});
