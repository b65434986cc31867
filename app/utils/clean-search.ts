// Filter forms are sent with GET, and a browser sends every field, empty ones included.

/** The list's address without empty parameters: `?q=&team=&status=open` is `?status=open`. */
export function cleanListSearch(params: URLSearchParams): string {
  const kept = new URLSearchParams([...params].filter(([, v]) => v.trim() !== ""));
  const search = kept.toString();
  return search ? `?${search}` : "";
}

/**
 * The commitments list across every year with `filters`, in the scope of `scopeHref` (a list
 * address whose team, if it names one, is kept): where a list a page bounds continues in full.
 */
export function commitmentListHref(scopeHref: string, filters: Record<string, string>): string {
  const team = new URLSearchParams(scopeHref.split("?")[1] ?? "").get("team");
  return `/commitments${cleanListSearch(new URLSearchParams({ ...filters, year: "all", ...(team ? { team } : {}) }))}`;
}
