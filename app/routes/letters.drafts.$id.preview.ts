// The draft editor's live preview and publish checks, as JSON. A plain request beside the page,
// not a Remix form submission: a submission would interrupt the page's own reload after a save
// (the editor then kept showing the version before it, and a late reload replaced what had been
// typed since). Admins only, like the editor; nothing is stored.
import type { ActionFunctionArgs } from "@remix-run/node";
import { UuidSchema } from "~/schemas/common";
import { PreviewSchema } from "~/schemas/letters";
import { letterById, previewLetterDraft } from "~/services/letters.server";
import { actorOf, requireAdmin } from "~/http/session.server";

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context);
  const id = UuidSchema.safeParse(params.id);
  const letter = id.success ? await letterById(context.db, actorOf(user), id.data) : null;
  if (!letter || letter.status === "published") return Response.json({ error: "There is no such draft." }, { status: 404 });
  const formData = await request.formData();
  const submission = PreviewSchema.safeParse({ intent: "preview", body: formData.get("body") ?? undefined });
  if (!submission.success) return Response.json({ error: "The text is too long to preview." }, { status: 400 });
  const preview = await previewLetterDraft(context.db, letter, submission.data.body);
  return Response.json({ html: preview.html, problems: preview.problems.map((p) => p.message) }, { headers: { "Cache-Control": "no-store" } });
}
