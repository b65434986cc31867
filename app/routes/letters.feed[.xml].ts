import type { LoaderFunctionArgs } from "@remix-run/node";
import { Feed } from "feed";
import { feedFor, letterPath } from "~/services/letters.server";
import { feedCheckpoints, PUBLIC_LOG_PATH } from "~/services/record-log.server";
import { publicRecordValidation } from "~/http/immutable-pages.server";
import { bodyWithNonce, etagMatches } from "~/http/page-cache.server";

// Atom feed of published public letters and their errata: a correction reaches subscribers
// the same way the letter did. It also carries the record's checkpoints, one per month with
// changes (the chain's head at the month's last entry), so a subscriber holds dated heads a
// later rewrite could not match.
export async function loader({ request, context }: LoaderFunctionArgs) {
  // One small query decides whether the reader's copy is current (ADR 0015) before the letters'
  // HTML or the record's checkpoints are read.
  const validation = await publicRecordValidation(context.db, { kind: "feed" }, context.buildId ?? "", "");
  if (!validation) throw new Response("Not found", { status: 404 });
  const headers = { "Content-Type": "application/atom+xml; charset=utf-8", ETag: validation.etag, "Cache-Control": validation.cacheControl };
  if (etagMatches(request.headers.get("If-None-Match"), validation.etag)) return new Response(null, { status: 304, headers });
  const cached = context.pageCache?.get(validation.cacheKey);
  if (cached) return new Response(new Uint8Array(bodyWithNonce(cached, "")), { headers });
  const data = await feedFor(context.db);
  if (!data) throw new Response("Not found", { status: 404 });
  const origin = context.env.APP_URL ? new URL(context.env.APP_URL).origin : new URL(request.url).origin;
  const entries = [
    ...data.published.map((l) => ({
      id: `${origin}${letterPath(l.fiscalYear, "public")}`,
      link: `${origin}${letterPath(l.fiscalYear, "public")}`,
      title: l.title,
      date: l.publishedAt ?? new Date(0),
      content: l.publishedHtml ?? "",
      description: `Published with SHA-256 ${l.sha256}.`,
    })),
    ...data.errata.map((e) => ({
      id: `${origin}${letterPath(e.fiscalYear, "public")}#erratum-${e.id}`,
      link: `${origin}${letterPath(e.fiscalYear, "public")}#erratum-${e.id}`,
      title: `Erratum to ${e.letterTitle}`,
      date: e.createdAt,
      content: e.bodyHtml,
      description: `A correction appended to ${e.letterTitle}.`,
    })),
    ...(await feedCheckpoints(context.db)).map((cp) => ({
      id: `${origin}${PUBLIC_LOG_PATH}#checkpoint-${cp.seq}`,
      link: `${origin}${PUBLIC_LOG_PATH}?after=${cp.seq - 1}&limit=1`,
      title: `Record checkpoint #${cp.seq} (${cp.at.slice(0, 7)})`,
      date: new Date(cp.at),
      content: `<p>The record's hash chain stood at entry #${cp.seq} with head hash <code>${cp.hash}</code> at ${cp.at}.</p>`,
      description: `Record checkpoint: sequence ${cp.seq}, head hash ${cp.hash}, at ${cp.at}.`,
    })),
  ].sort((a, b) => b.date.getTime() - a.date.getTime() || (a.id < b.id ? -1 : 1));
  const updated = entries[0]?.date ?? new Date(0);
  const feed = new Feed({
    title: `${data.organisationName}: annual letters`,
    description: "What we said we would do, what we did, what we did not do and why; and every correction since.",
    id: `${origin}/letters`,
    link: `${origin}/letters`,
    language: "en",
    updated,
    feedLinks: { atom: `${origin}/letters/feed.xml` },
    author: { name: data.organisationName },
    copyright: `© ${data.organisationName}`,
    generator: "Kept",
  });
  for (const e of entries) {
    feed.addItem({ id: e.id, link: e.link, title: e.title, date: e.date, published: e.date, content: e.content, description: e.description, author: [{ name: data.organisationName }] });
  }
  const body = feed.atom1();
  context.pageCache?.set(validation.cacheKey, headers, Buffer.from(body, "utf8"), null);
  return new Response(body, { headers });
}
