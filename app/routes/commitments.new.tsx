import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CommitmentForm } from "~/components/commitment-form";
import { pickerMatchesOf } from "~/components/person-picker";
import { CommitmentFormSchema } from "~/schemas/commitments";
import { UuidSchema } from "~/schemas/common";
import { commitmentFormOptions, ownerDefaults } from "~/pages/commitment-form.server";
import { promotionDraft } from "~/services/retrospectives.server";
import { createCommitment } from "~/services/commitments.server";
import { invalid, refused } from "~/http/forms.server";
import { OWNER_PICKER, pickerReply, takeTypedPerson } from "~/http/person-picker.server";
import { actorOf, forbidden, requireUser } from "~/http/session.server";
import { can, decideByAccount } from "~/domain/permissions";

export const meta: MetaFunction = () => [{ title: "New commitment · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (decideByAccount(user, "commitments.write") === "deny") throw forbidden("Viewers read commitments; they do not write them.");
  const options = await commitmentFormOptions(context.db, actorOf(user), new Date());
  const url = new URL(request.url);
  const fromAction = UuidSchema.safeParse(url.searchParams.get("fromAction"));
  if (fromAction.success) {
    // Promoting a retrospective's action item: prefilled for the next period, linked on save.
    const draft = await promotionDraft(context.db, actorOf(user), fromAction.data, new Date());
    if (!draft) throw new Response("That action item does not exist.", { status: 404 });
    if (draft.alreadyPromoted) throw redirect(`/commitments/${draft.alreadyPromoted}`);
    if (!draft.allowed) throw forbidden("Only this team's editors and admins can promote its action items.");
    return {
      ...options,
      isAdmin: can(actorOf(user), "teams.manage"),
      sourceActionItemId: draft.itemId,
      defaults: {
        statement: draft.statement,
        teamId: draft.teamId ?? options.teams[0]?.value ?? "",
        ...(await ownerDefaults(context.db, draft.ownerId ?? user.id, user)),
        periodLabel: draft.periodLabel ?? undefined,
        dueDate: draft.dueDate ?? undefined,
        audience: "internal" as const,
        measureKind: "deliverable" as const,
      },
    };
  }
  // "New commitment for this team" links here with the team chosen; one this person may not
  // write for falls back to their first team.
  const wanted = url.searchParams.get("teamId");
  const teamId = options.teams.some((t) => t.value === wanted) ? wanted! : (options.teams[0]?.value ?? "");
  return {
    ...options,
    isAdmin: can(actorOf(user), "teams.manage"),
    sourceActionItemId: null,
    defaults: { teamId, owner: user.name, ownerId: user.id, audience: "public" as const, measureKind: "metric" as const },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (decideByAccount(user, "commitments.write") === "deny") throw forbidden("Viewers read commitments; they do not write them.");
  const formData = await request.formData();
  const owner = await takeTypedPerson(context.db, actorOf(user), formData, OWNER_PICKER, { kind: "owner" }, false);
  const submission = parseWithZod(formData, { schema: CommitmentFormSchema });
  if (owner) return pickerReply(submission, owner, {});
  if (submission.status !== "success") return invalid(submission);
  const source = UuidSchema.safeParse(formData.get("sourceActionItemId"));
  const result = await createCommitment(
    context.db,
    actorOf(user),
    submission.value,
    new Date(),
    source.success ? { sourceActionItemId: source.data } : {}, context.logger,
  );
  if (!result.ok) return refused(submission, result.error);
  return redirect(`/commitments/${result.value.id}?created=1`);
}

export default function NewCommitment() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to="/commitments">Commitments</Link>
      </p>
      <h1>New commitment</h1>
      {data.sourceActionItemId ? (
        <p className="notice">From a retrospective action item. Make it falsifiable: say what will be true, by when, and how anyone can check.</p>
      ) : null}
      {data.teams.length === 0 ? (
        data.isAdmin ? (
          <p className="notice">
            Every commitment belongs to a team, and there are no teams yet. <Link to="/teams">Create the first team</Link>, then
            come back here to write its first commitment.
          </p>
        ) : (
          <p className="notice">
            You can write commitments for the teams you are an editor of, and you are not an editor of any yet. Ask an admin to
            make you one (they do it on the team&apos;s page); until then, <Link to="/commitments">read the commitments</Link>.
          </p>
        )
      ) : (
        <CommitmentForm
          id="new-commitment"
          lastResult={actionData?.result}
          defaults={data.defaults}
          teams={data.teams}
          ownerMatches={pickerMatchesOf(actionData)}
          periods={data.periods}
          calendar={data.calendar}
          today={data.today}
          minimum={data.minimum}
          submitLabel="Commit"
          hidden={data.sourceActionItemId ? { sourceActionItemId: data.sourceActionItemId } : undefined}
        />
      )}
    </div>
  );
}
