// The scorecard chart of the annual letter: delivery rate by year as columns, written as an
// SVG string so the letter stays plain text that can be hashed and frozen on publishing.
//
// Constraints this code works within:
// - A content security policy forbids inline styles, so everything is a presentation
//   attribute (fill, stroke, font-size), never a style attribute or a <style> element.
// - The app sanitizes letter HTML with an allow-list, so only simple elements are used:
//   svg, title, desc, g, rect, line and text.
// - Letters are printed, so the chart is black on white and every column carries its own
//   percentage and year label; nothing depends on colour to be read.

export interface ChartYear {
  /** "FY2026" */
  label: string;
  /** Delivered in full ÷ commitments made, 0..1; null when nothing was made that year. */
  rate: number | null;
  /** The year the letter is about: drawn filled, the earlier years in outline. */
  current: boolean;
}

export interface ChartOptions {
  /** Prefix for the ids of <title> and <desc>; must be unique on the page. */
  idPrefix: string;
  title: string;
  description: string;
}

const WIDTH = 480;
const HEIGHT = 240;
const PLOT_LEFT = 48;
const PLOT_RIGHT = WIDTH - 16;
const PLOT_TOP = 28;
const BASELINE = HEIGHT - 36;
const MAX_COLUMN = 64;

/** Escapes text for an XML text node or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// Coordinates rounded to one decimal place so the output never carries float noise such as
// 103.60000000000001, which would make two renderings of the same data differ in the text.
function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function percentLabel(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? "—" : `${Math.round(rate * 100)}%`;
}

/**
 * Renders the columns as an accessible SVG (role="img", labelled by its <title> and described
 * by its <desc>). The output has no blank lines, so it survives as one raw HTML block when
 * embedded in Markdown.
 */
export function renderScorecardChart(years: readonly ChartYear[], opts: ChartOptions): string {
  const titleId = `${opts.idPrefix}-title`;
  const descId = `${opts.idPrefix}-desc`;
  const plotHeight = BASELINE - PLOT_TOP;
  const slot = years.length > 0 ? (PLOT_RIGHT - PLOT_LEFT) / years.length : PLOT_RIGHT - PLOT_LEFT;
  const columnWidth = Math.min(MAX_COLUMN, slot * 0.6);
  const font = `font-family="Helvetica, Arial, sans-serif"`;

  const lines: string[] = [];
  lines.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="${escapeXml(titleId)} ${escapeXml(descId)}">`,
  );
  lines.push(`<title id="${escapeXml(titleId)}">${escapeXml(opts.title)}</title>`);
  lines.push(`<desc id="${escapeXml(descId)}">${escapeXml(opts.description)}</desc>`);

  // Gridlines at 0, 50 and 100 per cent, labelled on the left.
  lines.push(`<g ${font} font-size="11" fill="#000000">`);
  for (const pct of [0, 50, 100]) {
    const y = BASELINE - (plotHeight * pct) / 100;
    const dash = pct === 0 ? "" : ` stroke-dasharray="3 3"`;
    lines.push(
      `<line x1="${n(PLOT_LEFT)}" y1="${n(y)}" x2="${n(PLOT_RIGHT)}" y2="${n(y)}" stroke="#000000" stroke-width="${pct === 0 ? 1.5 : 0.5}"${dash}/>`,
    );
    lines.push(`<text x="${n(PLOT_LEFT - 6)}" y="${n(y + 4)}" text-anchor="end">${pct}%</text>`);
  }
  lines.push(`</g>`);

  years.forEach((year, i) => {
    const centre = PLOT_LEFT + slot * i + slot / 2;
    const x = centre - columnWidth / 2;
    const weight = year.current ? ` font-weight="bold"` : "";
    lines.push(`<g ${font} font-size="12" fill="#000000" text-anchor="middle">`);
    if (year.rate !== null && Number.isFinite(year.rate)) {
      const rate = Math.min(1, Math.max(0, year.rate));
      const h = plotHeight * rate;
      // The year of the letter is filled; earlier years are outlined, which prints as clearly.
      const fill = year.current ? "#000000" : "#ffffff";
      if (h > 0) {
        lines.push(
          `<rect x="${n(x)}" y="${n(BASELINE - h)}" width="${n(columnWidth)}" height="${n(h)}" fill="${fill}" stroke="#000000" stroke-width="1.5"/>`,
        );
      }
      lines.push(`<text x="${n(centre)}" y="${n(BASELINE - h - 6)}"${weight}>${escapeXml(percentLabel(rate))}</text>`);
    } else {
      lines.push(`<text x="${n(centre)}" y="${n(BASELINE - 6)}"${weight}>${escapeXml(percentLabel(null))}</text>`);
    }
    lines.push(`<text x="${n(centre)}" y="${n(BASELINE + 18)}"${weight}>${escapeXml(year.label)}</text>`);
    lines.push(`</g>`);
  });

  lines.push(`</svg>`);
  return lines.join("\n");
}
