import type { HeadersFunction } from "@remix-run/node";

/**
 * A route `headers` export that forwards chosen headers set by its loader or action (for
 * example Retry-After on a refused sign-in) onto the document response.
 */
export function forwardHeaders(names: string[]): HeadersFunction {
  return ({ actionHeaders, loaderHeaders, errorHeaders }) => {
    const out = new Headers();
    for (const source of [loaderHeaders, actionHeaders, errorHeaders]) {
      if (!source) continue;
      for (const name of names) {
        const value = source.get(name);
        if (value) out.set(name, value);
      }
    }
    return out;
  };
}
