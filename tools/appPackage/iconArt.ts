/**
 * The app's icon artwork, drawn in code: a person with a "+" badge (someone is being added),
 * white on the brand colour for the 192×192 colour icon and white on transparent for the 32×32
 * outline icon. Shapes are signed-distance tests in a unit square, anti-aliased by supersampling.
 * Regenerate the PNGs with `npm run icons` after changing anything here.
 */
import { encodeRgbaPng } from './png';

/** Brand colour: the colour icon's background and the manifest's accentColor. */
export const BRAND_COLOR = '#2F5BD3';

interface Placement {
  /** Pixel size of the square image. */
  readonly size: number;
  /** Fraction of the image the glyph's bounding box takes, centred. */
  readonly glyphScale: number;
}

const COLOR_ICON: Placement = { size: 192, glyphScale: 0.58 };
const OUTLINE_ICON: Placement = { size: 32, glyphScale: 0.94 };
const SUPERSAMPLING = 8;

/**
 * Is the point (x, y) of the glyph's unit box (0..1, y downwards) inked?
 * Head and shoulders on the left, a "+" on the lower right, with a clear ring between them.
 */
export function glyphCovers(x: number, y: number): boolean {
  const plus = { x: 0.8, y: 0.76, arm: 0.2, half: 0.07 };
  const inPlus =
    (Math.abs(x - plus.x) <= plus.arm && Math.abs(y - plus.y) <= plus.half) ||
    (Math.abs(x - plus.x) <= plus.half && Math.abs(y - plus.y) <= plus.arm);
  if (inPlus) return true;
  // keep a clear ring around the "+", so the two shapes read separately at 32 px
  if (Math.hypot(x - plus.x, y - plus.y) < plus.arm + 0.1) return false;
  const head = Math.hypot(x - 0.38, y - 0.22) <= 0.21;
  // shoulders: the upper half of an ellipse standing on the bottom edge
  const shoulders = y <= 1 && ((x - 0.38) / 0.38) ** 2 + ((y - 1) / 0.46) ** 2 <= 1;
  return head || shoulders;
}

function coverage(px: number, py: number, placement: Placement): number {
  const box = placement.size * placement.glyphScale;
  const origin = (placement.size - box) / 2;
  let inside = 0;
  for (let sy = 0; sy < SUPERSAMPLING; sy++) {
    for (let sx = 0; sx < SUPERSAMPLING; sx++) {
      const x = (px + (sx + 0.5) / SUPERSAMPLING - origin) / box;
      const y = (py + (sy + 0.5) / SUPERSAMPLING - origin) / box;
      if (x >= 0 && x <= 1 && y >= 0 && y <= 1 && glyphCovers(x, y)) inside++;
    }
  }
  return inside / (SUPERSAMPLING * SUPERSAMPLING);
}

function hexToRgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1] ?? '0', 16), parseInt(m[2] ?? '0', 16), parseInt(m[3] ?? '0', 16)];
}

/** 192×192 RGBA: white glyph on a full-bleed brand-colour square (Teams rounds the corners). */
export function renderColorIcon(): { width: number; height: number; rgba: Uint8Array } {
  const { size } = COLOR_ICON;
  const [br, bg, bb] = hexToRgb(BRAND_COLOR);
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, COLOR_ICON);
      const o = (y * size + x) * 4;
      rgba[o] = Math.round(br + (255 - br) * c);
      rgba[o + 1] = Math.round(bg + (255 - bg) * c);
      rgba[o + 2] = Math.round(bb + (255 - bb) * c);
      rgba[o + 3] = 255;
    }
  }
  return { width: size, height: size, rgba };
}

/** 32×32 RGBA: white glyph on transparent; edges anti-aliased through alpha only. */
export function renderOutlineIcon(): { width: number; height: number; rgba: Uint8Array } {
  const { size } = OUTLINE_ICON;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const alpha = Math.round(coverage(x, y, OUTLINE_ICON) * 255);
      const o = (y * size + x) * 4;
      // fully transparent pixels are stored as 0,0,0,0; inked ones are pure white
      const white = alpha > 0 ? 255 : 0;
      rgba[o] = white;
      rgba[o + 1] = white;
      rgba[o + 2] = white;
      rgba[o + 3] = alpha;
    }
  }
  return { width: size, height: size, rgba };
}

export function colorIconPng(): Buffer {
  const { width, height, rgba } = renderColorIcon();
  return encodeRgbaPng(width, height, rgba);
}

export function outlineIconPng(): Buffer {
  const { width, height, rgba } = renderOutlineIcon();
  return encodeRgbaPng(width, height, rgba);
}
