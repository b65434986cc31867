// Filter forms are sent with GET, and a browser sends every field, empty ones included.

/** The list's address without empty parameters: `?q=&team=&status=open` is `?status=open`. */
export function cleanListSearch(params: URLSearchParams): string {
  const kept = new URLSearchParams([...params].filter(([, v]) => v.trim() !== ""));
  const search = kept.toString();
  return search ? `?${search}` : "";
}
