// The loader and action shared by the public and the internal letter page.
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { letterCommitmentPath } from "~/domain/commitment";
import { LEDGER_APPENDIX_HEADING } from "~/domain/letter-publish";
import type { Audience } from "~/domain/types";
import { getOrganisation } from "~/models/organisation.server";
import { ErratumSchema } from "~/schemas/letters";
import { csvRecords, toCsv } from "~/domain/csv";
import { LEDGER_CSV_HEADER, LEDGER_FILE_CLOSING, ledgerCsvRow, ledgerFileOpening, ledgerFileSection, type LedgerEntry } from "~/domain/letter-publish";
import { frozenLedgerPage, frozenLedgerSize, getPublishedMarkdown } from "~/models/letter.server";
import { letterPageValidation, letterSourceValidation } from "./immutable-pages.server";
import { appendErratum, canReadPublicSite, publishedLetterPageFor } from "~/services/letters.server";
import { bodyWithNonce, etagMatches } from "./page-cache.server";
import { invalid, refused } from "./forms.server";
import { linkBodyMentions, linkLedgerAppendix, mentionLinks } from "~/utils/letter-links.server";
import { actorOf, getOptionalUser, requireAdmin } from "./session.server";
import { notFound } from "./route-errors.server";
import { can } from "~/domain/permissions";

function yearOf(param: string | undefined): number | null {
  return param && /^\d{4}$/.test(param) ? Number(param) : null;
}

const noSuchLetter = () => notFound("There is no such letter.");

export async function loadLetterPage({ request, context, params }: LoaderFunctionArgs, audience: Audience) {
  const user = await getOptionalUser(request, context);
  const year = yearOf(params.year);
  const headers: Record<string, string> = { Vary: "Cookie" };
  if (!user && year !== null && audience === "public") {
    // It only ever changes by an appended erratum (or a neighbour, a setting, a deploy), which
    // changes the ETag: caches may keep it briefly and revalidate cheaply. The validator is one
    // small query (ADR 0015); a matching If-None-Match is answered without reading the letter,
    // and entry.server turns the empty answer into a 304 before anything renders.
    const validation = await letterPageValidation(context.db, year, audience, context.buildId ?? "");
    if (!validation) throw noSuchLetter();
    headers.ETag = validation.etag;
    headers["Cache-Control"] = validation.cacheControl;
    if (validation.lastModified) headers["Last-Modified"] = validation.lastModified.toUTCString();
    if (etagMatches(request.headers.get("If-None-Match"), validation.etag)) return data({ notModified: true as const }, { headers });
  } else {
    headers["Cache-Control"] = "private, no-cache";
  }
  // Internal letters and drafts answer 404, not 403, to anonymous readers: their existence is
  // not public either.
  const view = year === null ? null : await publishedLetterPageFor(context.db, user ? actorOf(user) : null, year, audience);
  if (!view || view.letter.publishedAt === null || view.letter.sha256 === null || view.letter.publishedHtml === null) throw noSuchLetter();
  const org = await getOrganisation(context.db);
  return data(
    {
      canCorrect: user !== null && can(actorOf(user), "letters.manage"),
      letter: {
        organisationName: org?.name ?? "",
        fiscalYear: view.letter.fiscalYear,
        audience: view.letter.audience,
        title: view.letter.title,
        // Each appendix row, and each quote of a commitment in the body, links to the commitment's
        // page: added here, from the frozen ledger, never stored (the hash is of what was published).
        html: linkBodyMentions(
          linkLedgerAppendix(
            view.letter.publishedHtml,
            LEDGER_APPENDIX_HEADING,
            view.ledgerIds.map((id) => letterCommitmentPath(id, audience)),
          ),
          LEDGER_APPENDIX_HEADING,
          mentionLinks(view.named, (id) => letterCommitmentPath(id, audience)),
        ),
        sha256: view.letter.sha256,
        publishedAt: view.letter.publishedAt.toISOString(),
        path: view.path,
        previous: view.previous ? { fiscalYear: view.previous.fiscalYear, title: view.previous.title, path: view.previous.path } : null,
        next: view.next ? { fiscalYear: view.next.fiscalYear, title: view.next.title, path: view.next.path } : null,
        errata: view.errata.map((e) => ({ id: e.id, html: e.bodyHtml, createdAt: e.createdAt.toISOString() })),
      },
    },
    { headers },
  );
}

export async function correctLetter({ request, context, params }: ActionFunctionArgs, audience: Audience) {
  const user = await requireAdmin(request, context, "letters.manage");
  const year = yearOf(params.year);
  const view = year === null ? null : await publishedLetterPageFor(context.db, actorOf(user), year, audience);
  if (!view) throw noSuchLetter();
  const submission = parseWithZod(await request.formData(), { schema: ErratumSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await appendErratum(context.db, actorOf(user), view.letter.id, submission.value.body, new Date(), context.logger);
  if (!result.ok) return refused(submission, result.error);
  return { result: submission.reply({ resetForm: true }), appended: true };
}

/**
 * The Markdown exactly as published: the bytes the SHA-256 on the page is of. Who may read it is
 * decided first; then one small query gives its ETag (its SHA-256), so a 304 or a cached copy
 * (context.pageCache, shared with the server's anonymous path) never reads the Markdown.
 */
export async function letterSource({ request, context, params }: LoaderFunctionArgs, audience: Audience) {
  const user = await getOptionalUser(request, context);
  const year = yearOf(params.year);
  if (year === null || !(await mayReadLetter(context, user ? actorOf(user) : null, audience))) throw noSuchLetter();
  const validation = await letterSourceValidation(context.db, year, audience);
  if (!validation) throw noSuchLetter();
  const headers = {
    "Content-Type": "text/markdown; charset=utf-8",
    ETag: validation.etag,
    "Cache-Control": user || audience === "internal" ? "private, no-cache" : validation.cacheControl,
    Vary: "Cookie",
    "Content-Disposition": `inline; filename="letter-fy${year}${audience === "internal" ? "-internal" : ""}.md"`,
  };
  if (etagMatches(request.headers.get("If-None-Match"), validation.etag)) return new Response(null, { status: 304, headers });
  const cached = context.pageCache?.get(validation.cacheKey);
  if (cached) return new Response(new Uint8Array(bodyWithNonce(cached, "")), { headers });
  const markdown = await getPublishedMarkdown(context.db, validation.letterId);
  if (markdown === null) throw noSuchLetter();
  context.pageCache?.set(validation.cacheKey, headers, Buffer.from(markdown, "utf8"), null);
  return new Response(markdown, { headers });
}

/** Internal letters are for signed-in people; public ones for anyone while the site is on. */
async function mayReadLetter(context: LoaderFunctionArgs["context"], viewer: ReturnType<typeof actorOf> | null, audience: Audience) {
  if (audience === "internal" && !viewer) return false;
  return canReadPublicSite(context.db, viewer);
}

const LEDGER_FILE_PAGE = 1000;

/**
 * A published letter's frozen ledger as a file (JSON or CSV): every commitment the letter covers,
 * in the bytes whose SHA-256 a summarised letter states (ADR 0015). Streamed a page of entries at
 * a time, so a year of any size never sits in memory whole; immutable, so its ETag is the
 * letter's SHA-256 and a 304 reads nothing but that.
 */
export async function letterLedgerFile({ request, context, params }: LoaderFunctionArgs, audience: Audience, format: "json" | "csv") {
  const user = await getOptionalUser(request, context);
  const year = yearOf(params.year);
  if (year === null || !(await mayReadLetter(context, user ? actorOf(user) : null, audience))) throw noSuchLetter();
  const validation = await letterSourceValidation(context.db, year, audience);
  if (!validation) throw noSuchLetter();
  const etag = `"${validation.etag.slice(1, -1)}.ledger.${format}"`;
  const headers = {
    "Content-Type": format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
    ETag: etag,
    "Cache-Control": user || audience === "internal" ? "private, no-cache" : validation.cacheControl,
    Vary: "Cookie",
    "Content-Disposition": `${format === "json" ? "inline" : "attachment"}; filename="ledger-fy${year}${audience === "internal" ? "-internal" : ""}.${format}"`,
  };
  if (etagMatches(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
  const db = context.db;
  const letterId = validation.letterId;
  const count = await frozenLedgerSize(db, letterId);
  const encoder = new TextEncoder();
  let position = 1;
  let opened = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!opened) {
        opened = true;
        controller.enqueue(encoder.encode(format === "json" ? ledgerFileOpening({ fiscalYear: year, audience, count }) : toCsv(LEDGER_CSV_HEADER, [])));
        return;
      }
      if (position > count) {
        if (format === "json") controller.enqueue(encoder.encode(LEDGER_FILE_CLOSING));
        controller.close();
        return;
      }
      const page = (await frozenLedgerPage(db, letterId, position, LEDGER_FILE_PAGE)) as unknown as LedgerEntry[];
      const first = position === 1;
      position += LEDGER_FILE_PAGE;
      if (page.length === 0) {
        position = count + 1;
        return;
      }
      controller.enqueue(encoder.encode(format === "json" ? ledgerFileSection(page, !first) : csvRecords(page.map(ledgerCsvRow))));
    },
  });
  return new Response(body, { headers });
}
