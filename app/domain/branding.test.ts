import { describe, expect, it } from "vitest";
import { accentStylesheetPath, checkAccentColour, checkLogo, contrastWithWhite, LOGO_MAX_BYTES, logoPath, normaliseHexColour, sniffLogoType } from "./branding";

describe("accent colour", () => {
  it("normalises hex codes and refuses anything else", () => {
    expect(normaliseHexColour("#1D4D3A")).toBe("#1d4d3a");
    expect(normaliseHexColour(" 1d4d3a ")).toBe("#1d4d3a");
    expect(normaliseHexColour("#14a")).toBe("#1144aa");
    for (const bad of ["", "#12345", "red", "#ggg000", "rgb(0,0,0)", "#1d4d3a00"]) expect(normaliseHexColour(bad)).toBeNull();
  });

  it("measures contrast against white as WCAG does", () => {
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 5);
    expect(contrastWithWhite("#ffffff")).toBeCloseTo(1, 5);
    // Known pairs: #767676 is the lightest grey that passes 4.5:1 on white, #777777 fails.
    expect(contrastWithWhite("#767676")).toBeGreaterThanOrEqual(4.5);
    expect(contrastWithWhite("#777777")).toBeLessThan(4.5);
  });

  it("accepts a colour white text is readable on and explains a refusal", () => {
    expect(checkAccentColour("#1D4D3A")).toEqual({ ok: true, colour: "#1d4d3a" });
    expect(checkAccentColour("#767676")).toEqual({ ok: true, colour: "#767676" });
    const light = checkAccentColour("#ffcc00");
    expect(light.ok).toBe(false);
    expect(!light.ok && light.message).toMatch(/#ffcc00 is too light: white text on it has a contrast of 1\.\d:1, and readable text needs at least 4\.5:1/);
    const notColour = checkAccentColour("blue");
    expect(!notColour.ok && notColour.message).toMatch(/hex code/);
  });

  it("puts the colour in the stylesheet's address", () => {
    expect(accentStylesheetPath("#1d4d3a")).toBe("/brand/accent.css?c=1d4d3a");
  });
});

describe("logo", () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
  const gif = new TextEncoder().encode("GIF89a....");
  const webp = Uint8Array.from([...new TextEncoder().encode("RIFF"), 1, 2, 3, 4, ...new TextEncoder().encode("WEBPVP8 ")]);
  const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

  it("reads the type from the bytes, never from a name or claimed type", () => {
    expect(sniffLogoType(png)).toBe("image/png");
    expect(sniffLogoType(jpeg)).toBe("image/jpeg");
    expect(sniffLogoType(gif)).toBe("image/gif");
    expect(sniffLogoType(webp)).toBe("image/webp");
    expect(sniffLogoType(svg)).toBeNull();
    expect(sniffLogoType(new TextEncoder().encode("RIFF1234WAVE"))).toBeNull();
    expect(sniffLogoType(png.slice(0, 4))).toBeNull();
  });

  it("refuses empty, oversized and non-image files with a reason", () => {
    expect(checkLogo(png)).toEqual({ ok: true, contentType: "image/png" });
    expect(checkLogo(new Uint8Array())).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) });
    const big = new Uint8Array(LOGO_MAX_BYTES + 1);
    big.set(png);
    expect(checkLogo(big)).toMatchObject({ ok: false, message: expect.stringMatching(/at most 256 KB/) });
    expect(checkLogo(svg)).toMatchObject({ ok: false, message: expect.stringMatching(/SVG is not accepted/) });
  });

  it("gives each logo its own address", () => {
    expect(logoPath("ab".repeat(32))).toBe(`/brand/logo?v=${"ab".repeat(8)}`);
  });
});
