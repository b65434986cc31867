// Small markup probes for the chart tests: the charts are pure server markup, so a string is
// all there is to inspect.

/** Attributes of every element with this tag whose class list contains `className`. */
export function elements(html: string, tag: string, className?: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  for (const match of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))) {
    const attrs: Record<string, string> = {};
    for (const a of (match[1] ?? "").matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1] as string] = a[2] as string;
    if (className === undefined || (attrs.class ?? "").split(/\s+/).includes(className)) found.push(attrs);
  }
  return found;
}

/** The text inside the first element matching an opening-tag pattern, such as `<desc[^>]*>`. */
export function textOf(html: string, open: string, tag: string): string {
  const match = html.match(new RegExp(`${open}([\\s\\S]*?)</${tag}>`));
  return match?.[1] ?? "";
}

/** The data table's rows as arrays of cell text (header row first). */
export function tableRows(html: string): string[][] {
  const table = textOf(html, "<table[^>]*>", "table");
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1] ?? ""),
  );
}

/** The accessible skeleton every drawn chart shares; returns the svg's title and desc text. */
export function accessibleParts(html: string): { title: string; desc: string; caption: string } {
  const svg = elements(html, "svg")[0];
  if (!svg) throw new Error("no svg");
  const titleId = svg["aria-labelledby"];
  const descId = svg["aria-describedby"];
  return {
    title: textOf(html, `<title id="${titleId}">`, "title"),
    desc: textOf(html, `<desc id="${descId}">`, "desc"),
    caption: textOf(html, "<figcaption[^>]*>", "figcaption"),
  };
}
