// Where a webhook may be sent (no server-side request forgery): the URL is checked when it is
// saved, and again at every delivery, where the host name is resolved, every address it
// resolves to is checked, and the connection goes to the checked address (so a DNS answer that
// changes between the check and the connect cannot slip a private address in). Loopback,
// private, link-local, unique-local, reserved and cloud-metadata addresses are refused unless
// the organisation allows private targets; metadata addresses are refused always.
import { BlockList, isIP } from "node:net";
import { lookup as dnsLookup } from "node:dns/promises";

export type AddressClass = "loopback" | "private" | "link-local" | "unique-local" | "metadata" | "reserved";

const CLASS_WORDS: Record<AddressClass, string> = {
  loopback: "a loopback address",
  private: "a private network address",
  "link-local": "a link-local address",
  "unique-local": "a unique-local (private IPv6) address",
  metadata: "a cloud metadata address",
  reserved: "a reserved or non-routable address",
};

function list(entries: Array<[string, number, "ipv4" | "ipv6"]>): BlockList {
  const blocks = new BlockList();
  for (const [network, prefix, type] of entries) blocks.addSubnet(network, prefix, type);
  return blocks;
}

// Checked in this order: metadata first, since it sits inside link-local and unique-local.
const RANGES: Array<[AddressClass, BlockList]> = [
  [
    "metadata",
    list([
      ["169.254.169.254", 32, "ipv4"], // AWS, GCP, Azure, OpenStack…
      ["169.254.170.2", 32, "ipv4"], // ECS task metadata
      ["100.100.100.200", 32, "ipv4"], // Alibaba Cloud
      ["fd00:ec2::254", 128, "ipv6"], // AWS over IPv6
    ]),
  ],
  ["loopback", list([["127.0.0.0", 8, "ipv4"], ["::1", 128, "ipv6"]])],
  [
    "private",
    list([
      ["10.0.0.0", 8, "ipv4"],
      ["172.16.0.0", 12, "ipv4"],
      ["192.168.0.0", 16, "ipv4"],
      ["100.64.0.0", 10, "ipv4"], // carrier-grade NAT
    ]),
  ],
  ["link-local", list([["169.254.0.0", 16, "ipv4"], ["fe80::", 10, "ipv6"]])],
  ["unique-local", list([["fc00::", 7, "ipv6"], ["fec0::", 10, "ipv6"]])],
  [
    "reserved",
    list([
      ["0.0.0.0", 8, "ipv4"],
      ["192.0.0.0", 24, "ipv4"],
      ["192.0.2.0", 24, "ipv4"],
      ["198.18.0.0", 15, "ipv4"],
      ["198.51.100.0", 24, "ipv4"],
      ["203.0.113.0", 24, "ipv4"],
      ["224.0.0.0", 4, "ipv4"],
      ["240.0.0.0", 4, "ipv4"],
      ["::", 128, "ipv6"],
      ["100::", 64, "ipv6"],
      ["2001:db8::", 32, "ipv6"],
      ["ff00::", 8, "ipv6"],
    ]),
  ],
];

/** The eight 16-bit groups of an IPv6 address (with or without a dotted IPv4 tail). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const parts = dotted[1]!.split(".").map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** An IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), or null. */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!); // ::ffff:a.b.c.d
  if (zeros(0, 6) && (g[6] !== 0 || g[7]! > 1)) return v4(g[6]!, g[7]!); // ::a.b.c.d (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!); // NAT64
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!); // 6to4
  return null;
}

/** Which kind of non-public address this is, or null for a public one. */
export function classifyAddress(address: string): AddressClass | null {
  const family = isIP(address);
  if (family === 0) return "reserved";
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner) return classifyAddress(inner);
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  for (const [kind, blocks] of RANGES) if (blocks.check(address, type)) return kind;
  return null;
}

export interface TargetPolicy {
  /** The organisation allows loopback and private targets, and plain http. */
  allowPrivate: boolean;
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; message: string };

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** What can be said of a URL without resolving it: scheme, credentials, literal addresses. */
export function checkWebhookUrl(raw: string, policy: TargetPolicy): TargetCheck {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, message: `Keep the URL under ${MAX_WEBHOOK_URL_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: "Enter a full URL, such as https://hooks.example.com/kept." };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowPrivate)) {
    return {
      ok: false,
      message: policy.allowPrivate ? "Use an https:// or http:// URL." : "Use an https:// URL (plain http is allowed only together with private targets, in Settings).",
    };
  }
  if (url.username || url.password) return { ok: false, message: "Leave user names and passwords out of the URL; Kept signs every delivery instead." };
  if (!url.hostname) return { ok: false, message: "The URL needs a host name." };
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal)) {
    const refused = refusal(literal, policy);
    if (refused) return { ok: false, message: `The URL points at ${refused}` };
  } else if (/^localhost$|\.localhost$/i.test(literal) && !policy.allowPrivate) {
    return { ok: false, message: `${url.hostname} is a loopback address; webhooks go to public addresses only (unless private targets are allowed in Settings).` };
  }
  return { ok: true, url };
}

/** Why an address is refused, as the end of a sentence ("… is a loopback address; …"), or null. */
function refusal(address: string, policy: TargetPolicy): string | null {
  const kind = classifyAddress(address);
  if (!kind) return null;
  if (kind === "metadata") return `${address}, ${CLASS_WORDS[kind]}; Kept never sends webhooks there.`;
  if (policy.allowPrivate) return null;
  return `${address}, ${CLASS_WORDS[kind]}; webhooks go to public addresses only (unless private targets are allowed in Settings).`;
}

export interface ResolvedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type Lookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Resolves the URL's host and checks every address it has: one refused address refuses the
 * whole target (a name that also points inside must not be a way in, whichever address the
 * connection would pick).
 */
export async function resolveWebhookTarget(
  raw: string,
  policy: TargetPolicy,
  { lookup = systemLookup, timeoutMs = 3000 }: { lookup?: Lookup; timeoutMs?: number } = {},
): Promise<{ ok: true; target: ResolvedTarget } | { ok: false; message: string }> {
  const checked = checkWebhookUrl(raw, policy);
  if (!checked.ok) return checked;
  const host = checked.url.hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host);
  if (literal) return { ok: true, target: { url: checked.url, address: host, family: literal as 4 | 6 } };
  let addresses: Array<{ address: string; family: number }>;
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      lookup(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
      }),
    ]);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return {
      ok: false,
      message: code === "ENOTFOUND" ? `${host} does not resolve to an address.` : `${host} could not be resolved (${code ?? (error as Error).message}).`,
    };
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) return { ok: false, message: `${host} does not resolve to an address.` };
  for (const { address } of addresses) {
    const refused = refusal(address, policy);
    if (refused) return { ok: false, message: `${host} resolves to ${refused}` };
  }
  const first = addresses[0]!;
  return { ok: true, target: { url: checked.url, address: first.address, family: first.family === 6 ? 6 : 4 } };
}
