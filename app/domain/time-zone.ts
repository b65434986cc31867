// Time-zone helpers that work the same in Node and in the browser.
export { isValidTimeZone } from "./period";

/** The IANA zones this runtime knows, for a picker; falls back to a short list. */
export function knownTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.("timeZone") ?? [];
  const list = zones.length > 0 ? zones : ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];
  return list.includes("UTC") ? list : ["UTC", ...list];
}
