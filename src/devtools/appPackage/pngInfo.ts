/**
 * Reads PNG files without an image library: the signature and IHDR chunk (size, colour type)
 * and, for the outline-icon check, the decoded pixels as 8-bit RGBA.
 *
 * Supported for decoding: every colour type and bit depth of the PNG spec, non-interlaced.
 * Interlaced (Adam7) files are refused with a clear message rather than decoded.
 */
import { crc32, inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class PngError extends Error {
  override readonly name = 'PngError';
}

export type PngColorType = 0 | 2 | 3 | 4 | 6;

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: PngColorType;
  readonly interlaced: boolean;
}

export interface DecodedPng extends PngHeader {
  /** width × height × 4 bytes, row by row from the top; 16-bit samples reduced to their high byte. */
  readonly rgba: Uint8Array;
}

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
}

const CHANNELS: Record<PngColorType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ALLOWED_DEPTHS: Record<PngColorType, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

export function isPng(data: Uint8Array): boolean {
  return data.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.equals(Buffer.from(data.subarray(0, 8)));
}

function readChunks(data: Uint8Array, stopAfterIhdr: boolean): Chunk[] {
  if (!isPng(data)) throw new PngError('is not a PNG file (the PNG signature is missing)');
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const chunks: Chunk[] = [];
  let offset = PNG_SIGNATURE.length;
  for (;;) {
    if (offset + 12 > buf.length) throw new PngError('is truncated (a chunk header runs past the end of the file)');
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > buf.length) throw new PngError(`is truncated (chunk ${type} runs past the end of the file)`);
    const stored = buf.readUInt32BE(offset + 8 + length);
    if ((crc32(buf.subarray(offset + 4, offset + 8 + length)) >>> 0) !== stored) {
      throw new PngError(`is corrupt (CRC mismatch in chunk ${type})`);
    }
    if (chunks.length === 0 && type !== 'IHDR') throw new PngError('is corrupt (the first chunk is not IHDR)');
    chunks.push({ type, data: buf.subarray(offset + 8, offset + 8 + length) });
    offset = end;
    if (type === 'IEND' || (stopAfterIhdr && type === 'IHDR')) return chunks;
  }
}

function parseIhdr(chunk: Chunk | undefined): PngHeader {
  if (!chunk || chunk.type !== 'IHDR' || chunk.data.length !== 13) throw new PngError('is corrupt (bad IHDR chunk)');
  const d = chunk.data;
  const width = d.readUInt32BE(0);
  const height = d.readUInt32BE(4);
  const bitDepth = d[8] ?? 0;
  const colorType = d[9] ?? -1;
  if (width === 0 || height === 0) throw new PngError('is corrupt (zero width or height)');
  if (!(colorType in CHANNELS)) throw new PngError(`is corrupt (unknown colour type ${colorType})`);
  const ct = colorType as PngColorType;
  if (!ALLOWED_DEPTHS[ct].includes(bitDepth)) {
    throw new PngError(`is corrupt (bit depth ${bitDepth} is not allowed for colour type ${ct})`);
  }
  if (d[10] !== 0 || d[11] !== 0) throw new PngError('is corrupt (unknown compression or filter method)');
  return { width, height, bitDepth, colorType: ct, interlaced: d[12] === 1 };
}

/** The PNG signature and IHDR: size and pixel format, without decoding pixels. */
export function readPngHeader(data: Uint8Array): PngHeader {
  return parseIhdr(readChunks(data, true)[0]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function unfilter(raw: Buffer, height: number, stride: number, bpp: number): Buffer {
  if (raw.length < (stride + 1) * height) throw new PngError('is corrupt (image data is shorter than its size says)');
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const value = raw[src + x] ?? 0;
      const a = x >= bpp ? (out[dst + x - bpp] ?? 0) : 0;
      const b = y > 0 ? (out[dst - stride + x] ?? 0) : 0;
      const c = x >= bpp && y > 0 ? (out[dst - stride + x - bpp] ?? 0) : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: predictor = paeth(a, b, c); break;
        default: throw new PngError(`is corrupt (unknown row filter ${String(filter)})`);
      }
      out[dst + x] = (value + predictor) & 0xff;
    }
  }
  return out;
}

/** Decodes a non-interlaced PNG to 8-bit RGBA. */
export function decodePng(data: Uint8Array): DecodedPng {
  const chunks = readChunks(data, false);
  const header = parseIhdr(chunks[0]);
  if (header.interlaced) throw new PngError('is interlaced (Adam7); save it without interlacing');
  const { width, height, bitDepth, colorType } = header;
  const palette = chunks.find((c) => c.type === 'PLTE')?.data;
  const trns = chunks.find((c) => c.type === 'tRNS')?.data;
  if (colorType === 3 && !palette) throw new PngError('is corrupt (palette image without PLTE chunk)');
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  if (idat.length === 0) throw new PngError('is corrupt (no image data)');
  let raw: Buffer;
  try {
    raw = inflateSync(idat);
  } catch (err) {
    throw new PngError(`is corrupt (image data does not inflate: ${(err as Error).message})`);
  }
  const channels = CHANNELS[colorType];
  const bitsPerPixel = channels * bitDepth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const pixels = unfilter(raw, height, stride, Math.max(1, bitsPerPixel >> 3));

  const sample = (row: number, index: number): number => {
    // index-th sample of the row, scaled to 0..255 (16-bit: high byte; <8-bit: replicated)
    if (bitDepth === 8) return pixels[row * stride + index] ?? 0;
    if (bitDepth === 16) return pixels[row * stride + index * 2] ?? 0;
    const bitOffset = index * bitDepth;
    const byte = pixels[row * stride + (bitOffset >> 3)] ?? 0;
    const value = (byte >> (8 - bitDepth - (bitOffset & 7))) & ((1 << bitDepth) - 1);
    return colorType === 3 ? value : Math.round((value * 255) / ((1 << bitDepth) - 1));
  };
  const rawSample = (row: number, index: number): number => {
    // unscaled sample, for comparing with a tRNS colour key
    if (bitDepth === 16) return pixels.readUInt16BE(row * stride + index * 2);
    if (bitDepth === 8) return pixels[row * stride + index] ?? 0;
    const bitOffset = index * bitDepth;
    const byte = pixels[row * stride + (bitOffset >> 3)] ?? 0;
    return (byte >> (8 - bitDepth - (bitOffset & 7))) & ((1 << bitDepth) - 1);
  };

  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let r: number, g: number, b: number, a = 255;
      switch (colorType) {
        case 0: {
          r = g = b = sample(y, x);
          if (trns && trns.length >= 2 && rawSample(y, x) === trns.readUInt16BE(0)) a = 0;
          break;
        }
        case 2: {
          r = sample(y, x * 3);
          g = sample(y, x * 3 + 1);
          b = sample(y, x * 3 + 2);
          if (
            trns &&
            trns.length >= 6 &&
            rawSample(y, x * 3) === trns.readUInt16BE(0) &&
            rawSample(y, x * 3 + 1) === trns.readUInt16BE(2) &&
            rawSample(y, x * 3 + 2) === trns.readUInt16BE(4)
          ) {
            a = 0;
          }
          break;
        }
        case 3: {
          const index = sample(y, x);
          if (!palette || index * 3 + 2 >= palette.length) throw new PngError(`is corrupt (palette index ${index} out of range)`);
          r = palette[index * 3] ?? 0;
          g = palette[index * 3 + 1] ?? 0;
          b = palette[index * 3 + 2] ?? 0;
          if (trns && index < trns.length) a = trns[index] ?? 255;
          break;
        }
        case 4: {
          r = g = b = sample(y, x * 2);
          a = sample(y, x * 2 + 1);
          break;
        }
        case 6: {
          r = sample(y, x * 4);
          g = sample(y, x * 4 + 1);
          b = sample(y, x * 4 + 2);
          a = sample(y, x * 4 + 3);
          break;
        }
      }
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = a;
    }
  }
  return { ...header, rgba };
}
