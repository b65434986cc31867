// The loader and action shared by the public and the internal letter page.
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { commitmentPath, publicCommitmentPath } from "~/domain/commitment";
import { LEDGER_APPENDIX_HEADING } from "~/domain/letter-publish";
import type { Audience } from "~/domain/types";
import { getOrganisation } from "~/models/organisation.server";
import { ErratumSchema } from "~/schemas/letters";
import { appendErratum, publishedEtag, publishedLetterFor } from "~/services/letters.server";
import { invalid, refused } from "./forms.server";
import { linkLedgerAppendix } from "./letter-links.server";
import { actorOf, getOptionalUser, requireAdmin } from "./session.server";

function yearOf(param: string | undefined): number | null {
  return param && /^\d{4}$/.test(param) ? Number(param) : null;
}

const notFound = () => new Response("There is no such letter.", { status: 404 });

export async function loadLetterPage({ request, context, params }: LoaderFunctionArgs, audience: Audience) {
  const user = await getOptionalUser(request, context);
  const year = yearOf(params.year);
  // Internal letters and drafts answer 404, not 403, to anonymous readers: their existence is
  // not public either.
  const view = year === null ? null : await publishedLetterFor(context.db, user ? actorOf(user) : null, year, audience);
  if (!view || view.letter.publishedAt === null || view.letter.sha256 === null || view.letter.publishedHtml === null) throw notFound();
  const org = await getOrganisation(context.db);
  const headers: Record<string, string> = { Vary: "Cookie" };
  if (user) {
    headers["Cache-Control"] = "private, no-cache";
  } else {
    // It only ever changes by an appended erratum, which changes the ETag: caches may keep it
    // briefly and revalidate cheaply.
    headers.ETag = publishedEtag(view.letter, view.errata, view.next?.id ?? null);
    headers["Cache-Control"] = "public, max-age=300, must-revalidate";
    headers["Last-Modified"] = (view.errata[view.errata.length - 1]?.createdAt ?? view.letter.publishedAt).toUTCString();
  }
  return data(
    {
      canCorrect: user?.role === "admin",
      letter: {
        organisationName: org?.name ?? "",
        fiscalYear: view.letter.fiscalYear,
        audience: view.letter.audience,
        title: view.letter.title,
        // Each appendix row links to its commitment's page (added here, from the frozen ledger's ids).
        html: linkLedgerAppendix(
          view.letter.publishedHtml,
          LEDGER_APPENDIX_HEADING,
          view.ledger.map((e) => (audience === "public" ? publicCommitmentPath(e.id) : commitmentPath(e.id))),
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
  const user = await requireAdmin(request, context);
  const year = yearOf(params.year);
  const view = year === null ? null : await publishedLetterFor(context.db, actorOf(user), year, audience);
  if (!view) throw notFound();
  const submission = parseWithZod(await request.formData(), { schema: ErratumSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await appendErratum(context.db, actorOf(user), view.letter.id, submission.value.body, new Date());
  if (!result.ok) return refused(submission, result.error);
  context.logger.info({ letterId: view.letter.id, erratumId: result.value.id }, "erratum appended");
  return { result: submission.reply({ resetForm: true }), appended: true };
}

/** The Markdown exactly as published: the bytes the SHA-256 on the page is of. */
export async function letterSource({ request, context, params }: LoaderFunctionArgs, audience: Audience) {
  const user = await getOptionalUser(request, context);
  const year = yearOf(params.year);
  const view = year === null ? null : await publishedLetterFor(context.db, user ? actorOf(user) : null, year, audience);
  if (!view || view.letter.publishedMarkdown === null || view.letter.sha256 === null) throw notFound();
  const etag = `"${view.letter.sha256}"`;
  const headers = {
    "Content-Type": "text/markdown; charset=utf-8",
    ETag: etag,
    "Cache-Control": user || audience === "internal" ? "private, no-cache" : "public, max-age=86400, immutable",
    Vary: "Cookie",
    "Content-Disposition": `inline; filename="letter-fy${view.letter.fiscalYear}${audience === "internal" ? "-internal" : ""}.md"`,
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(view.letter.publishedMarkdown, { headers });
}
