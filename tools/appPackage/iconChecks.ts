/**
 * The Teams app icon rules, checked on the bytes that go into the package:
 * - color: PNG, exactly 192×192;
 * - outline: PNG, exactly 32×32, white on transparent: every pixel is either fully transparent
 *   (alpha 0) or white (r = g = b = 255, any alpha, so anti-aliased edges are fine).
 */
import { PngError, decodePng } from './png';

export type IconRole = 'color' | 'outline' | 'color32x32';

export const ICON_SIZES: Readonly<Record<IconRole, number>> = { color: 192, outline: 32, color32x32: 32 };

/** One line per problem with the icon; empty when it is acceptable. */
export function checkIcon(role: IconRole, fileName: string, data: Uint8Array): string[] {
  const expected = ICON_SIZES[role];
  try {
    const { width, height, rgba } = decodePng(data);
    if (width !== expected || height !== expected) {
      return [`${fileName} (${role} icon) is ${width}×${height} pixels; it must be exactly ${expected}×${expected}`];
    }
    if (role !== 'outline') return [];
    let offending = 0;
    let first = '';
    for (let i = 0; i < rgba.length; i += 4) {
      const [r, g, b, a] = [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]];
      if (a === 0 || (r === 255 && g === 255 && b === 255)) continue;
      if (offending === 0) {
        const pixel = i / 4;
        first = ` (first at x=${pixel % width}, y=${Math.floor(pixel / width)}: rgba(${r}, ${g}, ${b}, ${a}))`;
      }
      offending++;
    }
    return offending === 0
      ? []
      : [`${fileName} (outline icon) must be white on transparent: ${offending} pixel(s) are neither white nor fully transparent${first}`];
  } catch (err) {
    if (err instanceof PngError) return [`${fileName} (${role} icon) ${err.message}`];
    throw err;
  }
}
