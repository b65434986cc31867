// Time-zone helpers that work the same in Node and in the browser.
export { isValidTimeZone } from "./period";

/** The IANA zones this runtime knows, for a picker; falls back to a short list. */
export function knownTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.("timeZone") ?? [];
  const list = zones.length > 0 ? zones : ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];
  return list.includes("UTC") ? list : ["UTC", ...list];
}

const UTC_ALIASES = new Set(["UTC", "Etc/UTC", "Etc/UCT", "Etc/GMT", "Etc/Universal", "Etc/Zulu", "GMT", "UCT", "Universal", "Zulu"]);

/**
 * The zone a picker of `zones` starts on when there is nothing better to go by (setup without
 * JavaScript): the runtime's own zone when the picker has it, else UTC. The runtime's zone
 * comes in as an argument (the server's, from its TZ), so this stays pure.
 */
export function defaultTimeZone(runtimeZone: string | undefined, zones: readonly string[]): string {
  if (!runtimeZone || UTC_ALIASES.has(runtimeZone)) return "UTC";
  return zones.includes(runtimeZone) ? runtimeZone : "UTC";
}
