// What an organisation's public pages may carry of its own brand (docs/decisions/0020): an accent
// colour that white text stays readable on, and a logo that is a plain raster image. Pure.

/** WCAG 2 AA for normal text: white on the accent, and the accent as text on white. */
export const MIN_ACCENT_CONTRAST = 4.5;

/** The largest logo Kept stores: enough for a crisp header mark, small enough to serve from the database. */
export const LOGO_MAX_BYTES = 256 * 1024;

export const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** "#1D4D3A", "1d4d3a" or "#1d4" → "#1d4d3a"; null when it is not a hex colour. */
export function normaliseHexColour(input: string): string | null {
  const m = HEX.exec(input.trim());
  if (!m) return null;
  const hex = m[1]!.toLowerCase();
  const full = hex.length === 3 ? hex.replace(/./g, (d) => d + d) : hex;
  return `#${full}`;
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of "#rrggbb". */
export function relativeLuminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 0xff) + 0.7152 * channel((n >> 8) & 0xff) + 0.0722 * channel(n & 0xff);
}

/** The WCAG contrast ratio of "#rrggbb" against white, from 1 to 21. */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (relativeLuminance(hex) + 0.05);
}

export type AccentCheck = { ok: true; colour: string } | { ok: false; message: string };

/** An accent colour as typed in Settings: a hex colour dark enough that white text on it is readable. */
export function checkAccentColour(input: string): AccentCheck {
  const colour = normaliseHexColour(input);
  if (!colour) return { ok: false, message: "Give the colour as a hex code such as #1d4d3a." };
  const ratio = contrastWithWhite(colour);
  if (ratio < MIN_ACCENT_CONTRAST) {
    return {
      ok: false,
      message: `${colour} is too light: white text on it has a contrast of ${(Math.floor(ratio * 10) / 10).toFixed(1)}:1, and readable text needs at least ${MIN_ACCENT_CONTRAST}:1. Choose a darker shade.`,
    };
  }
  return { ok: true, colour };
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

/**
 * The image type the bytes themselves say they are, whatever name or type the upload claimed;
 * null for anything else (SVG included: it can carry script).
 */
export function sniffLogoType(bytes: Uint8Array): LogoType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return "image/gif";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

export type LogoCheck = { ok: true; contentType: LogoType } | { ok: false; message: string };

export function checkLogo(bytes: Uint8Array): LogoCheck {
  if (bytes.length === 0) return { ok: false, message: "That file is empty. Choose a PNG, JPEG, WebP or GIF image." };
  if (bytes.length > LOGO_MAX_BYTES) {
    return { ok: false, message: `That image is ${Math.ceil(bytes.length / 1024)} KB; a logo can be at most ${LOGO_MAX_BYTES / 1024} KB.` };
  }
  const contentType = sniffLogoType(bytes);
  if (!contentType) return { ok: false, message: "That file is not a PNG, JPEG, WebP or GIF image (SVG is not accepted: it can carry script)." };
  return { ok: true, contentType };
}

/** Where the logo is served; the hash in the query makes a new logo a new address, so the old one may be cached for good. */
export function logoPath(sha256: string): string {
  return `/brand/logo?v=${sha256.slice(0, 16)}`;
}

/** The stylesheet that gives public pages the accent colour ("#1d4d3a"). */
export function accentStylesheetPath(colour: string): string {
  return `/brand/accent.css?c=${colour.replace(/^#/, "")}`;
}
