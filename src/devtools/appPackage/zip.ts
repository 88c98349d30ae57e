/**
 * A tiny ZIP writer and reader (PKWARE APPNOTE 6.3: local headers, central directory, end record;
 * methods "stored" and "deflate"; no ZIP64, no encryption). Enough for a Teams app package, which
 * holds three small files at its root, and for tests that read one back.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, forward slashes, no leading slash. */
  readonly name: string;
  readonly data: Uint8Array;
}

export interface ZipOptions {
  /** Modification time stored for every entry (default: 1 Jan 1980, so equal input gives equal bytes). */
  readonly modified?: Date;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_UTF8 = 0x0800;
const VERSION = 20; // 2.0: deflate, folders

export class ZipError extends Error {
  override readonly name = 'ZipError';
}

function checkName(name: string): void {
  if (
    name.length === 0 ||
    name.length > 0xffff ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.split('/').some((part) => part === '..' || part === '.' || part === '')
  ) {
    throw new ZipError(`invalid entry name ${JSON.stringify(name)}`);
  }
}

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** Builds a ZIP archive. Entries are deflated unless that does not make them smaller. */
export function createZip(entries: readonly ZipEntry[], options: ZipOptions = {}): Buffer {
  const seen = new Set<string>();
  const stamp = dosDateTime(options.modified ?? new Date(1980, 0, 1));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    checkName(entry.name);
    if (seen.has(entry.name)) throw new ZipError(`duplicate entry name ${JSON.stringify(entry.name)}`);
    seen.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const useDeflate = deflated.length < entry.data.length;
    const body = useDeflate ? deflated : Buffer.from(entry.data);
    const crc = crc32(entry.data) >>> 0;
    if (entry.data.length > 0xfffffffe || offset > 0xfffffffe) throw new ZipError('archive too large (ZIP64 is not supported)');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    const fields = { method: useDeflate ? METHOD_DEFLATE : METHOD_STORED, stamp, crc, compressed: body.length, size: entry.data.length, nameLength: name.length };
    writeEntryFields(local, 6, fields);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(VERSION, 4); // made by: MS-DOS / FAT attributes, spec 2.0
    central.writeUInt16LE(VERSION, 6);
    writeEntryFields(central, 8, fields);
    // extra length, comment length, disk number, internal and external attributes: all 0
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

/** Reads every entry of a ZIP archive (stored or deflated), checking sizes and CRCs. */
export function readZip(archive: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a ZIP archive (no end of central directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let cursor = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (cursor + 46 > buf.length || buf.readUInt32LE(cursor) !== CENTRAL_HEADER) throw new ZipError('corrupt central directory');
    const flags = buf.readUInt16LE(cursor + 8);
    const method = buf.readUInt16LE(cursor + 10);
    const crc = buf.readUInt32LE(cursor + 16);
    const compressedSize = buf.readUInt32LE(cursor + 20);
    const size = buf.readUInt32LE(cursor + 24);
    const nameLength = buf.readUInt16LE(cursor + 28);
    const extraLength = buf.readUInt16LE(cursor + 30);
    const commentLength = buf.readUInt16LE(cursor + 32);
    const localOffset = buf.readUInt32LE(cursor + 42);
    const name = buf.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1', cursor + 46, cursor + 46 + nameLength);
    cursor += 46 + nameLength + extraLength + commentLength;

    if (flags & 1) throw new ZipError(`${name}: encrypted entries are not supported`);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL_HEADER) throw new ZipError(`${name}: corrupt local header`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const body = buf.subarray(start, start + compressedSize);
    if (body.length !== compressedSize) throw new ZipError(`${name}: truncated data`);
    let data: Buffer;
    if (method === METHOD_STORED) data = Buffer.from(body);
    else if (method === METHOD_DEFLATE) data = inflateRawSync(body);
    else throw new ZipError(`${name}: unsupported compression method ${method}`);
    if (data.length !== size) throw new ZipError(`${name}: size mismatch`);
    if ((crc32(data) >>> 0) !== crc) throw new ZipError(`${name}: CRC mismatch`);
    entries.push({ name, data });
  }
  return entries;
}

/**
 * The run of fields the local header (at offset 6) and the central directory entry (at offset 8)
 * share, in the same order: flags, method, DOS time and date, CRC-32, sizes, name length.
 */
function writeEntryFields(
  header: Buffer,
  at: number,
  f: { method: number; stamp: { time: number; date: number }; crc: number; compressed: number; size: number; nameLength: number },
): void {
  header.writeUInt16LE(FLAG_UTF8, at);
  header.writeUInt16LE(f.method, at + 2);
  header.writeUInt16LE(f.stamp.time, at + 4);
  header.writeUInt16LE(f.stamp.date, at + 6);
  header.writeUInt32LE(f.crc, at + 8);
  header.writeUInt32LE(f.compressed, at + 12);
  header.writeUInt32LE(f.size, at + 16);
  header.writeUInt16LE(f.nameLength, at + 20);
}
