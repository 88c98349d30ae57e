/**
 * PNG reading and writing for the app icons, through pngjs: pixels come back as 8-bit RGBA
 * whatever the file's colour type, bit depth or interlacing.
 */
import { PNG } from 'pngjs';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The file is not a PNG, or a broken one; the message completes "<file> (<role> icon) …". */
export class PngError extends Error {
  override readonly name = 'PngError';
}

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, row by row from the top. */
  readonly rgba: Uint8Array;
}

export function decodePng(data: Uint8Array): DecodedPng {
  // Checked here so a GIF or a text file gets a plain answer rather than pngjs' parser error.
  if (data.length < SIGNATURE.length || !SIGNATURE.equals(Buffer.from(data.subarray(0, SIGNATURE.length)))) {
    throw new PngError('is not a PNG file (the PNG signature is missing)');
  }
  try {
    const png = PNG.sync.read(Buffer.from(data));
    return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
  } catch (err) {
    throw new PngError(`is corrupt (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Encodes `rgba` (width × height × 4 bytes, row by row, top first) as a PNG file. */
export function encodeRgbaPng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4)
    throw new RangeError(`expected ${width * height * 4} RGBA bytes for ${width}×${height}, got ${rgba.length}`);
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png);
}
